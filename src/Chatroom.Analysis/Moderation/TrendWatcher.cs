using System.Collections.Concurrent;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Moderation;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// Tells admins when a room's last 15 minutes cross a <see cref="TrendPolicy"/> threshold, once per crossing
/// (re-armed when the share falls back), and writes the alert to the audit log.
/// </summary>
public sealed class TrendWatcher(IModerationStore store, ModerationActions actions, IChatBus bus, IOptionsMonitor<TrendPolicy> policy, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _raised = new(StringComparer.Ordinal);

    public async Task CheckAsync(string room, CancellationToken cancellationToken)
    {
        var window = await store.GetRecentCountsAsync(room, time.GetUtcNow(), TrendPolicy.Window, cancellationToken);
        var now = policy.CurrentValue.Evaluate(window);
        var before = _raised.GetValueOrDefault(room) ?? [];
        _raised[room] = now.Select(a => a.Alert).ToHashSet(StringComparer.Ordinal);
        foreach (var (alert, share) in now.Where(a => !before.Contains(a.Alert)))
        {
            var evt = new AnalysisEvent("alert", room, Alert: alert, Share: share);
            await bus.PublishAsync(new ChatEvent(ChatEventTypes.Analysis, null, ChatJson.ToElement(evt)), cancellationToken);
            await actions.AuditAsync("moderation", "alert", room, null, null, $"{alert}: {share:P0} of the last 15 minutes", null, cancellationToken);
        }
    }
}
