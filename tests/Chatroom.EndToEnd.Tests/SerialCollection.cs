namespace Chatroom.EndToEnd.Tests;

/// <summary>Tests that must not run beside any other test of this assembly.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
