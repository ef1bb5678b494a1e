using Chatroom.Core.GuardianCases;

namespace Chatroom.Analysis.Guardian;

/// <summary>
/// Feeds confirmed cases back into the exemplar index: on start and then every <see cref="Interval"/>, the evidence lines of
/// cases moderators resolved with restrict, ban or notify-guardian become "+" exemplars of their signals, so the next
/// conversation that says the same thing scores higher (cases are resolved in the API; this process only reads them).
/// </summary>
public sealed partial class GuardianExemplarRefresher(
    IGuardianCaseStore cases, GuardianExemplarIndex index, TimeProvider time, ILogger<GuardianExemplarRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private const int CasesPerState = 200;

    /// <summary>Adds the evidence of recent confirmed cases; returns how many lines were new to the index.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var state in new[] { GuardianCaseStates.Restricted, GuardianCaseStates.Banned, GuardianCaseStates.GuardianNotified })
        {
            foreach (var confirmed in await cases.ListAsync(state, null, CasesPerState, cancellationToken))
            {
                foreach (var signal in confirmed.Signals.Where(s => GuardianSignals.IsMessageSignal(s.Name)))
                {
                    foreach (var line in signal.Evidence)
                    {
                        added += await index.AddAsync(signal.Name, line, cancellationToken) ? 1 : 0;
                    }
                }
            }
        }

        return added;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                if (await RefreshAsync(stoppingToken) is > 0 and var added)
                {
                    LogAdded(logger, added);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 5821, Level = LogLevel.Information, Message = "{Count} evidence lines from confirmed guardian cases joined the exemplar index")]
    private static partial void LogAdded(ILogger logger, int count);

    [LoggerMessage(EventId = 5822, Level = LogLevel.Warning, Message = "Confirmed guardian cases could not be read into the exemplar index; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
