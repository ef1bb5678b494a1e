using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Models;

/// <summary>Options that never change, for code that reads an <see cref="IOptionsMonitor{TOptions}"/>.</summary>
internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
