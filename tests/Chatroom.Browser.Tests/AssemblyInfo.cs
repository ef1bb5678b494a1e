// Test timeouts ([Fact(Timeout = …)]) are enforced only when xunit runs tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
