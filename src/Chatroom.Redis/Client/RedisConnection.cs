using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Chatroom.Redis.Protocol;
using Microsoft.Extensions.Logging;

namespace Chatroom.Redis.Client;

/// <summary>
/// One socket to one server, multiplexed: callers write whole commands into an outbound pipe under a
/// short lock and queue their completion in the same order; a send loop moves the pipe to the socket in
/// large writes, and a receive loop parses replies and completes the queue front to back. A broken socket
/// fails every waiting command at once.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private const int SendBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly Pipe _outbound = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false));
    private readonly PipeReader _inbound;
    private readonly ConcurrentQueue<IPendingReply> _pending = new();
    private readonly Lock _writeLock = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Action<RespValue>? _onPush;
    private Action<RedisConnection, Exception>? _onClosed;
    private readonly ILogger _logger;
    private readonly long _commandTimeoutMs;
    private readonly Timer _timeouts;
    private Task _sendLoop = Task.CompletedTask;
    private Task _receiveLoop = Task.CompletedTask;
    private Exception? _failure;

    private RedisConnection(RedisEndpoint endpoint, Stream stream, RedisOptions options, Action<RespValue>? onPush, ILogger logger)
    {
        Endpoint = endpoint;
        _stream = stream;
        _onPush = onPush;
        _logger = logger;
        _commandTimeoutMs = (long)options.CommandTimeout.TotalMilliseconds;
        _inbound = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 8 * 1024));
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_commandTimeoutMs / 4, 10, 250));
        _timeouts = new Timer(static state => ((RedisConnection)state!).FailTimedOut(), this, period, period);
    }

    public RedisEndpoint Endpoint { get; }

    /// <summary>2 or 3: the protocol agreed with HELLO.</summary>
    public int Protocol { get; private set; } = 2;

    public bool IsAlive => Volatile.Read(ref _failure) is null;

    public static async Task<RedisConnection> ConnectAsync(RedisEndpoint endpoint, RedisOptions options, Action<RespValue>? onPush,
        Action<RedisConnection, Exception>? onClosed, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        Stream? stream = null;
        RedisConnection? connection = null;
        try
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(TlsOptions(options, endpoint), timeout.Token);
            }

            connection = new RedisConnection(endpoint, stream, options, onPush, logger);
            connection.Start();
            await connection.HandshakeAsync(options, timeout.Token);
            connection.ArmClosedCallback(onClosed);
            return connection;
        }
        catch (Exception e)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            else if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            var reason = e is OperationCanceledException ? $"no answer within {options.ConnectTimeout.TotalMilliseconds:0} ms" : e.Message;
            throw new RedisConnectionException($"Could not connect to Redis at {endpoint}: {reason}", e);
        }
    }

    /// <summary>
    /// TLS settings: the system trust store by default; with <see cref="RedisOptions.SslCaFile"/> only the
    /// CAs in that file are trusted roots (chain and host name still validated by <see cref="SslStream"/>).
    /// </summary>
    internal static SslClientAuthenticationOptions TlsOptions(RedisOptions options, RedisEndpoint endpoint)
    {
        var tls = new SslClientAuthenticationOptions { TargetHost = options.SslHost ?? endpoint.Host };
        if (options.AllowUntrustedCertificate)
        {
            tls.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.SslCaFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            if (authorities.Count == 0)
            {
                throw new RedisConnectionException($"The sslCaFile '{caFile}' holds no certificate.");
            }

            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // Private CAs rarely publish revocation lists; trust is limited to the given roots instead.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(authorities);
            tls.CertificateChainPolicy = policy;
        }

        return tls;
    }

    /// <summary>Writes the command and returns its pending reply; never blocks on the network.</summary>
    public ValueTask<T> SendAsync<T>(in RedisCommand command, ReplyParser<T> parser, bool asking, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var reply = PendingReply<T>.Rent(parser, timeout is { } t ? (long)t.TotalMilliseconds : _commandTimeoutMs, cancellationToken);
        var task = reply.Task;
        lock (_writeLock)
        {
            if (_failure is { } failure)
            {
                reply.OnFailure(Lost(failure));
                return task;
            }

            var writer = _outbound.Writer;
            if (asking)
            {
                var asker = new RedisCommand(Commands.Asking, 0);
                asker.WriteTo(writer);
                asker.Return();
                _pending.Enqueue(DiscardedReply.Instance);
            }

            command.WriteTo(writer);
            _pending.Enqueue(reply);
            // No back-pressure (pauseWriterThreshold 0): the flush completes at once and only wakes the send loop.
            var flush = writer.FlushAsync(CancellationToken.None);
            if (!flush.IsCompleted)
            {
                _ = flush.AsTask();
            }
        }

        return task;
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new RedisConnectionException($"The connection to {Endpoint} was closed by the client."));
        await _timeouts.DisposeAsync();
        await Task.WhenAll(_sendLoop, _receiveLoop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stream.DisposeAsync();
        _closing.Dispose();
    }

    private void Start()
    {
        _sendLoop = Task.Run(SendLoopAsync);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    private void ArmClosedCallback(Action<RedisConnection, Exception>? onClosed)
    {
        Volatile.Write(ref _onClosed, onClosed);
        if (Volatile.Read(ref _failure) is { } failure)
        {
            Interlocked.Exchange(ref _onClosed, null)?.Invoke(this, failure);
        }
    }

    private async Task HandshakeAsync(RedisOptions options, CancellationToken cancellationToken)
    {
        if (options.PreferResp3)
        {
            var hello = new RedisCommand(Commands.Hello, 6);
            hello.Add(3);
            if (options.Password is not null)
            {
                hello.Add(Commands.Auth);
                hello.Add(options.User ?? "default");
                hello.Add(options.Password);
            }

            hello.Add("SETNAME");
            hello.Add(options.ClientName);
            try
            {
                await SendAsync(hello, Parsers.Value, asking: false, options.ConnectTimeout, cancellationToken);
                Protocol = 3;
            }
            catch (RedisServerException e) when (e.Prefix is "NOPROTO" || e.Message.Contains("unknown command", StringComparison.OrdinalIgnoreCase))
            {
                Protocol = 2;
            }
            finally
            {
                hello.Return();
            }
        }

        if (Protocol == 2 && options.Password is not null)
        {
            var auth = new RedisCommand(Commands.Auth, 2);
            if (options.User is not null)
            {
                auth.Add(options.User);
            }

            auth.Add(options.Password);
            try
            {
                await SendAsync(auth, Parsers.Ok, asking: false, options.ConnectTimeout, cancellationToken);
            }
            finally
            {
                auth.Return();
            }
        }

        if (options.Database != 0)
        {
            var select = new RedisCommand(Commands.Select, 1);
            select.Add(options.Database);
            try
            {
                await SendAsync(select, Parsers.Ok, asking: false, options.ConnectTimeout, cancellationToken);
            }
            finally
            {
                select.Return();
            }
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _outbound.Reader;
        var chunk = ArrayPool<byte>.Shared.Rent(SendBufferSize);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closing.Token);
                var buffer = result.Buffer;
                if (buffer.IsSingleSegment)
                {
                    await _stream.WriteAsync(buffer.First, _closing.Token);
                }
                else
                {
                    // Coalesce segments so a burst of small commands costs few syscalls (and few TLS records).
                    var filled = 0;
                    foreach (var segment in buffer)
                    {
                        var remaining = segment;
                        while (!remaining.IsEmpty)
                        {
                            var take = Math.Min(remaining.Length, chunk.Length - filled);
                            remaining.Span[..take].CopyTo(chunk.AsSpan(filled));
                            filled += take;
                            remaining = remaining[take..];
                            if (filled == chunk.Length)
                            {
                                await _stream.WriteAsync(chunk.AsMemory(0, filled), _closing.Token);
                                filled = 0;
                            }
                        }
                    }

                    if (filled > 0)
                    {
                        await _stream.WriteAsync(chunk.AsMemory(0, filled), _closing.Token);
                    }
                }

                await _stream.FlushAsync(_closing.Token);
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            await reader.CompleteAsync();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception failure;
        try
        {
            while (true)
            {
                var result = await _inbound.ReadAsync(_closing.Token);
                var buffer = result.Buffer;
                var consumed = ReadFrames(buffer);
                _inbound.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted)
                {
                    failure = new RedisConnectionException($"Redis at {Endpoint} closed the connection.");
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }

        Fail(failure);
        await _inbound.CompleteAsync();
    }

    private SequencePosition ReadFrames(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        var consumed = buffer.Start;
        while (true)
        {
            if (!RespParser.TrySkip(ref reader))
            {
                return consumed;
            }

            var frame = buffer.Slice(consumed, reader.Position);
            consumed = reader.Position;
            Dispatch(frame);
        }
    }

    private void Dispatch(in ReadOnlySequence<byte> frame)
    {
        var type = frame.FirstSpan[0];
        if (_onPush is not null && type is (byte)'>' or (byte)'*')
        {
            var value = RespParser.Read(frame);
            var kind = value.Count > 0 ? value[0].AsString() : null;
            switch (kind)
            {
                case "message" or "smessage" or "pmessage":
                    _onPush(value);
                    return;
                case "subscribe" or "ssubscribe" or "unsubscribe" or "sunsubscribe" or "psubscribe" or "punsubscribe":
                    if (!_pending.TryDequeue(out var confirmed))
                    {
                        // The server dropped a subscription by itself (a cluster slot moved).
                        _onPush(value);
                        return;
                    }

                    confirmed.OnReply(frame);
                    return;
            }
        }
        else if (type == (byte)'>')
        {
            // RESP3 pushes on a command connection (client tracking) are not used here.
            return;
        }

        if (!_pending.TryDequeue(out var pending))
        {
            throw new RedisProtocolException($"Redis at {Endpoint} sent a reply no command was waiting for.");
        }

        if (RespParser.IsError(frame, out var message))
        {
            pending.OnFailure(new RedisServerException(message));
        }
        else
        {
            pending.OnReply(frame);
        }
    }

    private void FailTimedOut()
    {
        var now = Environment.TickCount64;
        foreach (var pending in _pending)
        {
            if (!pending.IsCompleted && now > pending.Deadline)
            {
                pending.Abandon(new RedisTimeoutException(
                    $"Redis at {Endpoint} did not answer within {_commandTimeoutMs} ms (syncTimeout); the command may or may not have run."));
            }
        }
    }

    private void Fail(Exception reason)
    {
        lock (_writeLock)
        {
            if (_failure is not null)
            {
                return;
            }

            Volatile.Write(ref _failure, reason);
            _outbound.Writer.Complete();
        }

        _closing.Cancel();
        var lost = Lost(reason);
        while (_pending.TryDequeue(out var pending))
        {
            pending.OnFailure(lost);
        }

        LogClosed(_logger, Endpoint.ToString(), reason.Message);
        Interlocked.Exchange(ref _onClosed, null)?.Invoke(this, reason);
    }

    private RedisConnectionException Lost(Exception reason) => reason as RedisConnectionException
        ?? new RedisConnectionException($"The connection to Redis at {Endpoint} was lost: {reason.Message}", reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Connection to Redis at {Endpoint} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string endpoint, string reason);
}

/// <summary>The reply to an ASKING sent ahead of a redirected command: read and dropped.</summary>
internal sealed class DiscardedReply : IPendingReply
{
    public static readonly DiscardedReply Instance = new();

    public long Deadline => long.MaxValue;

    public bool IsCompleted => true;

    public void OnReply(in ReadOnlySequence<byte> frame)
    {
    }

    public void OnFailure(Exception exception)
    {
    }

    public void Abandon(Exception exception)
    {
    }
}
