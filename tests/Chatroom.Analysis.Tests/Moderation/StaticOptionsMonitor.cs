using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>Options that never change, for classes that read an <see cref="IOptionsMonitor{TOptions}"/>.</summary>
internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
