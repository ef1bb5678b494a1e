using System.Diagnostics;
using Chatroom.Core.Errors;
using Chatroom.Embedded.Sqlite;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// The embedded data folder's disk fills up with traffic flowing: sends are refused with <c>storage_full</c>, nothing
/// is half-written (every acknowledged message is in the log, ids stay gapless, receivers miss nothing) and sending
/// works again by itself once space returns. One test fills a real small filesystem (tmpfs, or a loop device) where
/// the machine lets the test mount one; the other always runs, failing writes through SQLite's page quota, which
/// returns the same SQLITE_FULL a full disk does.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output)
{
    private const int Members = 6;
    private const int AcksBeforeFull = 100;
    private const int RefusalsWhileFull = 10;
    private const int AcksAfterFree = 100;

    /// <summary>The disk stays full at least this long with traffic flowing.</summary>
    private static readonly TimeSpan FullFor = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task AFullDiskRefusesSendsAsStorageFullAndRecoversWhenSpaceReturns_InjectedWriteFailure()
    {
        using var data = new TempDirectory("chatroom-full");
        await RunAsync(data.Path, host => new PageQuota(host));
    }

    [Fact]
    public async Task AFullDiskRefusesSendsAsStorageFullAndRecoversWhenSpaceReturns_RealFilesystem()
    {
        using var data = new TempDirectory("chatroom-full");
        var mounted = await SmallFilesystem.TryMountAsync(data.Path);
        if (mounted is null)
        {
            // This machine refuses mounts: the quota variant still exercises the same SQLITE_FULL path.
            output.WriteLine("Neither a tmpfs nor a loop device could be mounted here; running the injected write failure instead.");
            await RunAsync(data.Path, host => new PageQuota(host));
            return;
        }

        try
        {
            output.WriteLine($"Data folder on a {mounted.Kind} of {mounted.SizeMegabytes} MB.");
            await RunAsync(data.Path, _ => new FillerFile(data.Path));
        }
        finally
        {
            await mounted.UnmountAsync();
        }
    }

    private async Task RunAsync(string dataDirectory, Func<StandaloneHost, IDiskFault> fault)
    {
        await using var host = await StandaloneHost.StartAsync(dataDirectory, new Dictionary<string, string?>
        {
            ["Chatroom:Chat:MessagesPerSecond"] = "10000",
            ["Chatroom:Chat:Burst"] = "10000",
            ["Chatroom:Chat:UserMessagesPerSecond"] = "10000",
            ["Chatroom:Chat:UserBurst"] = "10000",
            ["Chatroom:Api:SignInsPerMinute"] = "1000",
            // Each member sends every 20 ms (≈ 45 calls/s when refusals come back at once): over the socket's own
            // budget of 20 calls/s, which would refuse some as rate_limited (seen in a run on a fast machine).
            ["Chatroom:Sockets:InvocationsPerSecond"] = "10000",
            ["Chatroom:Sockets:InvocationBurst"] = "10000",
        });
        var owner = await host.Api.GuestTokenAsync("owner");
        string[] rooms = ["full-a", "full-b"];
        foreach (var room in rooms)
        {
            await host.Api.CreateRoomAsync(owner, room);
        }

        var disk = fault(host);
        await using var traffic = new ChatTraffic(host.Api, rooms, (_, token) => host.Api.ConnectWithTokenAsync(token),
            new TrafficOptions { Interval = TimeSpan.FromMilliseconds(20), Reconnect = false });
        await traffic.StartAsync(Members);
        await traffic.WaitForAcknowledgedAsync(AcksBeforeFull, TimeSpan.FromSeconds(60));

        await disk.FillAsync();
        var full = Stopwatch.StartNew();
        await WaitUntilAsync(() => traffic.Refused.GetValueOrDefault(ErrorCodes.StorageFull) >= RefusalsWhileFull, TimeSpan.FromSeconds(60),
            () => $"only {traffic.Refused.GetValueOrDefault(ErrorCodes.StorageFull)} sends were refused as storage_full after the disk filled");
        await Task.Delay(FullFor - full.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        var refusedWhileFull = traffic.Refused.GetValueOrDefault(ErrorCodes.StorageFull);
        var acknowledgedWhileFull = traffic.Acknowledged;

        await disk.FreeAsync();
        var fullFor = full.Elapsed;
        var freed = Stopwatch.StartNew();
        var ackedAtFree = traffic.Acknowledged;
        await WaitUntilAsync(() => traffic.Acknowledged > ackedAtFree, TimeSpan.FromSeconds(30), () => "no send succeeded after space returned");
        var firstSuccess = freed.Elapsed;

        // Sends in flight when space returned may still be refused; after a grace of some acknowledgements none may be.
        // A refusal counts by when its send started, not by when its answer reached the driver: the answer to a send
        // from before the grace can arrive after it on a loaded machine.
        await traffic.WaitForAcknowledgedAsync(ackedAtFree + AcksAfterFree / 2, TimeSpan.FromSeconds(60));
        var steadyFrom = Stopwatch.GetTimestamp();
        await traffic.WaitForAcknowledgedAsync(ackedAtFree + AcksAfterFree, TimeSpan.FromSeconds(60));

        var report = await traffic.StopAsync(owner);
        output.WriteLine(report.ToString());
        output.WriteLine($"Disk full for {fullFor.TotalSeconds:0.0} s: {refusedWhileFull} sends refused as storage_full meanwhile "
            + $"({acknowledgedWhileFull} acknowledged in all by the time space returned); "
            + $"first successful send {firstSuccess.TotalMilliseconds:0} ms after space returned.");

        Assert.Equal(0, report.MissingFromLog);
        Assert.True(report.LogIdsContiguous, "a room's log has a gap in its ids");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Unacknowledged);
        Assert.Equal([ErrorCodes.StorageFull], report.Refused.Keys);

        // Recovered means recovered: the last stretch of sends was not refused again.
        Assert.Equal(0, traffic.RefusedStartedAfter(ErrorCodes.StorageFull, steadyFrom));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, failure());
            await Task.Delay(20);
        }
    }

    /// <summary>How a test takes the disk's space away and gives it back.</summary>
    private interface IDiskFault
    {
        Task FillAsync();

        Task FreeAsync();
    }

    /// <summary>SQLite's page quota on the chat database's writer: growing the file fails with SQLITE_FULL, as on a full disk.</summary>
    private sealed class PageQuota(StandaloneHost host) : IDiskFault
    {
        public Task FillAsync() => SetAsync(1);

        public Task FreeAsync() => SetAsync(int.MaxValue);

        /// <summary>
        /// The pragma is a write like any other, so it shares a group commit with the sends waiting beside it. When a
        /// send ahead of it in that batch hits the quota, the writer fails the whole batch as storage_full, and the
        /// writes behind that send never run: the quota stays as it was and the refusal says so truthfully. A pragma
        /// that did run holds even when its batch fails (the quota is not part of the transaction). So the question
        /// after a refusal is whether the pragma ran, not whether the write was refused; it is enqueued again only
        /// when it did not run.
        /// </summary>
        private async Task SetAsync(long pages)
        {
            var database = host.Services.GetRequiredService<SqliteDatabase>();
            var ran = false;
            while (!ran)
            {
                try
                {
                    await database.WriteAsync(async (connection, transaction) =>
                    {
                        await using var command = connection.CreateCommand();
                        command.Transaction = transaction;
                        command.CommandText = $"PRAGMA max_page_count = {pages}";
                        var result = await command.ExecuteScalarAsync();
                        ran = true;
                        return result;
                    }, CancellationToken.None);
                }
                catch (ChatException e) when (e.Code == ErrorCodes.StorageFull)
                {
                    // Refused with its batch; ran tells whether the pragma got its turn before a send hit the quota.
                }
            }
        }
    }

    /// <summary>A file that takes every free byte of the filesystem, then goes away.</summary>
    private sealed class FillerFile(string folder) : IDiskFault
    {
        private readonly string _path = Path.Combine(folder, "filler");

        public async Task FillAsync()
        {
            await using var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
            foreach (var size in new[] { 1 << 20, 1 << 12, 1 })
            {
                var chunk = new byte[size];
                try
                {
                    while (true)
                    {
                        await file.WriteAsync(chunk);
                    }
                }
                catch (IOException)
                {
                    // No space left for a chunk this size: try smaller ones.
                }
            }
        }

        public Task FreeAsync()
        {
            File.Delete(_path);
            return Task.CompletedTask;
        }
    }

    /// <summary>A small filesystem mounted over a folder: tmpfs, or an ext4 image on a loop device.</summary>
    private sealed class SmallFilesystem(string folder, string kind, int sizeMegabytes, string? image)
    {
        private const int Megabytes = 32;

        public string Kind => kind;

        public int SizeMegabytes => sizeMegabytes;

        /// <summary>Null when this machine refuses both (no root, or a container without the capability).</summary>
        public static async Task<SmallFilesystem?> TryMountAsync(string folder)
        {
            if (await RunAsync("mount", "-t", "tmpfs", "-o", $"size={Megabytes}m", "tmpfs", folder) == 0)
            {
                return new SmallFilesystem(folder, "tmpfs", Megabytes, null);
            }

            var image = folder + ".img";
            await using (var file = new FileStream(image, FileMode.Create))
            {
                file.SetLength(Megabytes << 20);
            }

            if (await RunAsync("mkfs.ext4", "-q", "-F", image) == 0 && await RunAsync("mount", "-o", "loop", image, folder) == 0)
            {
                return new SmallFilesystem(folder, "loop device (ext4)", Megabytes, image);
            }

            File.Delete(image);
            return null;
        }

        public async Task UnmountAsync()
        {
            await RunAsync("umount", "-l", folder);
            if (image is not null)
            {
                File.Delete(image);
            }
        }

        private static async Task<int> RunAsync(string command, params string[] arguments)
        {
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            try
            {
                using var process = Process.Start(start)!;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(timeout.Token);
                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // The command is not installed.
                return -1;
            }
        }
    }
}
