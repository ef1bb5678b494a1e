namespace Chatroom.Browser.Tests;

/// <summary>Browser tests share one chromium and run one at a time (2 cores; each test starts its own host).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
