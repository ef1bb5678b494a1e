namespace Chatroom.Core.GuardianCases;

/// <summary>Port: the guardian agent's admin-set thresholds and windows (one set per deployment), on the chat backend.</summary>
public interface IGuardianSettingsStore
{
    /// <summary>The settings an admin last saved, or null when none were (configuration applies then).</summary>
    Task<GuardianSettings?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored settings.</summary>
    Task SaveAsync(GuardianSettings settings, CancellationToken cancellationToken);

    /// <summary>Removes the stored settings, so configuration applies again; false when none were stored.</summary>
    Task<bool> ResetAsync(CancellationToken cancellationToken);
}
