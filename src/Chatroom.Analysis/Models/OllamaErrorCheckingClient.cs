using System.Text;
using System.Text.Json;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Exceptions;

namespace Chatroom.Analysis.Models;

/// <summary>
/// OllamaSharp's client, made to throw its own <see cref="ResponseError"/> when Ollama answers 200 and then writes an
/// error object (<c>{"error": "…"}</c>, what Ollama sends when the model fails while generating). OllamaSharp 5.5.2 checks
/// for that line on its other streamed endpoints (pull, push, create) but not on chat: there a streamed reply just ends
/// early, looking complete, and a non-streamed one fails with an <see cref="InvalidOperationException"/> about a missing
/// <c>done</c>, so callers could neither tell the failure apart nor read Ollama's message.
/// </summary>
internal sealed class OllamaErrorCheckingClient(HttpClient client, string defaultModel) : OllamaApiClient(client, defaultModel)
{
    protected override async Task<HttpResponseMessage> SendToOllamaAsync(
        HttpRequestMessage requestMessage, OllamaRequest? ollamaRequest, HttpCompletionOption completionOption, CancellationToken cancellationToken)
    {
        var response = await base.SendToOllamaAsync(requestMessage, ollamaRequest, completionOption, cancellationToken).ConfigureAwait(false);
        var content = new StreamContent(new ErrorLineStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)));
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        content.Headers.ContentLength = null;
        response.Content = content;
        return response;
    }

    /// <summary>Passes Ollama's NDJSON (or single JSON object) through line by line, throwing on an error line.</summary>
    private sealed class ErrorLineStream(Stream inner) : Stream
    {
        private readonly StreamReader _reader = new(inner, Encoding.UTF8);
        private ReadOnlyMemory<byte> _pending;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _pending.IsEmpty && !Take(await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) ? 0 : Copy(buffer.Span);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            _pending.IsEmpty && !Take(_reader.ReadLine()) ? 0 : Copy(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _reader.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>Queues the next line (checked first); false at the end of the body.</summary>
        private bool Take(string? line)
        {
            if (line is null)
            {
                return false;
            }

            ThrowIfError(line);
            _pending = Encoding.UTF8.GetBytes(line + "\n");
            return true;
        }

        private int Copy(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, _pending.Length);
            _pending.Span[..count].CopyTo(buffer);
            _pending = _pending[count..];
            return count;
        }

        private static void ThrowIfError(string line)
        {
            if (!line.Contains("\"error\"", StringComparison.Ordinal))
            {
                return;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) &&
                    error.ValueKind == JsonValueKind.String && !document.RootElement.TryGetProperty("message", out _))
                {
                    throw new ResponseError(error.GetString()!);
                }
            }
            catch (JsonException)
            {
                // Not an error object; OllamaSharp's own parsing reports what is wrong with it.
            }
        }
    }
}
