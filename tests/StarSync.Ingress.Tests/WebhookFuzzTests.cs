using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

using MassTransit.Testing;

using StarSync.Contracts;

namespace StarSync.Ingress.Tests;

/// <summary>
/// Throws thousands of malformed deliveries from a seeded generator at the real host (in memory, MassTransit's test
/// harness in place of RabbitMQ). Most are correctly signed, so they get past the signature check into the content
/// type, header and payload checks. Every answer must be 400, 401, 413 or 415; nothing may be published; the host
/// must stay healthy and still accept a valid delivery afterwards. A failure names the case and its seed.
/// </summary>
public sealed class WebhookFuzzTests
{
    private const int Seed = 20261122;
    private const int Cases = 12_000;
    private const int Parallelism = 8;

    /// <summary>Small, so that "over the limit" stays cheap; "huge" bodies inside the limit are still hundreds of KB.</summary>
    private const int MaxPayloadBytes = 512 * 1024;

    private const string Placeholder = "@@fuzz@@";

    private static readonly HashSet<HttpStatusCode> Allowed =
    [
        HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge,
        HttpStatusCode.UnsupportedMediaType,
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MalformedDeliveries_AreRejectedWithoutPublishing_AndTheHostKeepsAccepting()
    {
        await using var factory = IngressFactory.WithHarness(
            ("Ingress:MaxPayloadBytes", MaxPayloadBytes.ToString(CultureInfo.InvariantCulture)));
        using var client = factory.CreateClient();
        var statuses = new ConcurrentDictionary<int, int>();
        var categories = new ConcurrentDictionary<string, int>();
        var unexpected = new ConcurrentQueue<string>();
        var started = DateTime.UtcNow;

        await Parallel.ForEachAsync(Enumerable.Range(0, Cases),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = Ct },
            async (index, ct) =>
            {
                var fuzz = FuzzCase.Generate(index);
                using var request = fuzz.ToHttpRequest();
                using var response = await client.SendAsync(request, ct);
                statuses.AddOrUpdate((int)response.StatusCode, 1, static (_, n) => n + 1);
                categories.AddOrUpdate(fuzz.Category, 1, static (_, n) => n + 1);
                if (!Allowed.Contains(response.StatusCode) && unexpected.Count < 20)
                {
                    var answer = await response.Content.ReadAsStringAsync(ct);
                    unexpected.Enqueue($"case {index} ({fuzz.Category}: {fuzz.Description}) -> {(int)response.StatusCode}: " +
                        answer[..Math.Min(answer.Length, 400)]);
                }
            });

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{Cases} requests (seed {Seed}) in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        foreach (var (status, count) in statuses.OrderBy(s => s.Key))
        {
            output?.WriteLine($"  HTTP {status}: {count}");
        }
        foreach (var (category, count) in categories.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output?.WriteLine($"  {category}: {count}");
        }
        var firstError = factory.Logs.Entries.FirstOrDefault(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.True(unexpected.IsEmpty, "Unexpected answers:\n" + string.Join("\n", unexpected) +
            $"\nFirst error logged: {firstError}");
        Assert.True(statuses.Values.Sum() >= 10_000, $"only {statuses.Values.Sum()} requests were answered");
        Assert.All(Allowed, status => Assert.True(statuses.ContainsKey((int)status), $"no case was answered {(int)status}"));
        Assert.True(statuses.GetValueOrDefault(400) > Cases / 2, "most cases must get past the signature into the parser");

        Assert.False(await factory.Harness.Published.Any<RepositoryStarred>(Ct));
        Assert.False(await factory.Harness.Published.Any<RepositoryUnstarred>(Ct));
        Assert.False(await factory.Harness.Published.Any<RepositorySyncRequested>(Ct));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);

        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var valid = WebhookRequest.Json("watch", WebhookPayloads.Watch());
        using var accepted = await client.SendAsync(valid.ToHttpRequest(), Ct);
        await HttpAssert.Json(accepted, HttpStatusCode.Accepted);
        Assert.True(await factory.Harness.Published.Any<RepositoryStarred>(m => m.Context.Message.DeliveryId == valid.Delivery, Ct));
        Assert.Single(factory.Harness.Published.Select<RepositoryStarred>(Ct));
    }

    /// <summary>One generated request. Deterministic: case <c>i</c> always comes from <c>new Random(Seed + i)</c>.</summary>
    private sealed class FuzzCase
    {
        private static readonly string[] StringReaders =
            ["\"\\uD800\"", "\"a\\uDC00b\"", "\"\\uDBFF\\u0041\"", "\"\\uDFFF\\uD800\""];

        private static readonly string[] NotStrings =
            ["0", "42", "-1", "1.5", "1e400", "true", "false", "[]", "[\"a\",1]", "{}", "{\"login\":\"x\"}"];

        private static readonly string[] NotObjects =
            ["null", "0", "7", "\"repository\"", "\"\"", "true", "[]", "[{}]"];

        private static readonly string[] NotBooleans =
            ["0", "1", "\"true\"", "\"false\"", "\"\"", "[]", "{}", "[true]"];

        private static readonly string[] BadIds =
            ["null", "0", "-1", "1.5", "1e30", "9223372036854775808", "\"186853002\"", "\"\"", "true", "[]", "{}",
             "[186853002]", "-9223372036854775808", "1E2", "0.0"];

        private static readonly string[] BadSizes =
            ["-1", "1.5", "1e30", "9223372036854775808", "\"1234\"", "true", "[]", "{}"];

        private static readonly string[] BadUrls =
            ["\"\"", "\"not a url\"", "\"ftp://github.com/a/b.git\"", "\"/relative/path.git\"", "\"file:///etc/passwd\"",
             "\"javascript:alert(1)\"", "\"git@github.com:a/b.git\""];

        private static readonly string[] BadTimestamps =
            ["\"\"", "\"yesterday\"", "\"2019-13-45T99:99:99Z\"", "\"15/05/2019\""];

        private static readonly string[] BadRoots =
            ["null", "true", "0", "\"watch\"", "[]", "[{\"action\":\"started\"}]", "1e999"];

        private static readonly string[] Events = ["watch", "star", "push", "ping"];

        private static readonly string[] BadContentTypes =
        [
            "text/plain", "application/xml", "text/json", "application/jsonx", "application/json; charset=latin1",
            "application/json; charset=utf-16", "application/x-www-form-urlencoded; charset=iso-8859-1",
            "multipart/form-data; boundary=xyz", "application/*", "*/*", "garbage", ";;;", "application/json/extra",
            "application/octet-stream", "\u00e9/\u00e9", "",
        ];

        private readonly Random _random;

        private FuzzCase(int index)
        {
            _random = new Random(Seed + index);
            Delivery = Guid.NewGuid().ToString();
        }

        public string Category { get; private set; } = "";

        public string Description { get; private set; } = "";

        public byte[] Body { get; private set; } = [];

        public string? ContentType { get; private set; } = "application/json";

        public string[]? ContentTypes { get; private set; }

        public string?[] EventHeaders { get; private set; } = [];

        public string?[] DeliveryHeaders { get; private set; } = [];

        /// <summary>Null: the correct signature of <see cref="Body"/>.</summary>
        public string?[]? Signatures { get; private set; }

        public bool UnknownLength { get; private set; }

        private string Delivery { get; }

        public static FuzzCase Generate(int index)
        {
            var fuzz = new FuzzCase(index);
            fuzz.Build();
            return fuzz;
        }

        public HttpRequestMessage ToHttpRequest()
        {
            HttpContent content = UnknownLength ? new ChunkedContent(Body) : new ByteArrayContent(Body);
            content.Headers.Remove("Content-Type");
            foreach (var value in ContentTypes ?? (ContentType is null ? [] : [ContentType]))
            {
                content.Headers.TryAddWithoutValidation("Content-Type", value);
            }
            var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = content };
            request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/fuzz");
            foreach (var signature in Signatures ?? [GitHubSignature.Compute(Body, WebhookRequest.Secret)])
            {
                request.Headers.TryAddWithoutValidation(GitHubSignature.HeaderName, signature);
            }
            foreach (var value in EventHeaders)
            {
                request.Headers.TryAddWithoutValidation("X-GitHub-Event", value);
            }
            foreach (var value in DeliveryHeaders)
            {
                request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", value);
            }
            return request;
        }

        private void Build()
        {
            var roll = _random.Next(100);
            switch (roll)
            {
                case < 30: WrongType(); break;
                case < 38: MissingField(); break;
                case < 46: Truncated(); break;
                case < 52: RandomBytes(); break;
                case < 57: DeeplyNested(); break;
                case < 60: NotAnObjectOrDuplicateKeys(); break;
                case < 62: HugeWithin(); break;
                case < 64: OverTheLimit(); break;
                case < 67: Empty(); break;
                case < 77: Form(); break;
                default: BadHeaders(); break;
            }
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private void Set(string category, string @event, string body, string description)
        {
            Category = category;
            EventHeaders = [@event];
            DeliveryHeaders = [Delivery];
            Body = Encoding.UTF8.GetBytes(body);
            Description = $"event {@event}: {description}";
        }

        /// <summary>A well-formed payload of one of the handled events (and its event header).</summary>
        private (string Event, JsonObject Payload) Valid()
        {
            return _random.Next(5) switch
            {
                0 => ("watch", WebhookPayloads.Watch()),
                1 => ("star", WebhookPayloads.Star("created", "2019-05-15T15:20:40Z")),
                2 => ("star", WebhookPayloads.Star("deleted", null)),
                3 => ("push", Push()),
                _ => ("ping", WebhookPayloads.Ping()),
            };
        }

        private static JsonObject Push() => new()
        {
            ["ref"] = "refs/heads/main",
            ["deleted"] = false,
            ["repository"] = WebhookPayloads.Repository(),
            ["sender"] = WebhookPayloads.Sender(),
        };

        /// <summary>The fields each event reads, with values of the wrong type (or out of range) for each.</summary>
        private List<(string Path, string[] Bad)> ReadFields(string @event, JsonObject payload)
        {
            var strings = NotStrings.Concat(StringReaders).ToArray();
            var required = strings.Append("null").Append("\"\"").ToArray();
            var repository = new (string, string[])[] { ("repository", NotObjects), ("repository.id", BadIds) };
            return (@event, payload["action"]?.GetValue<string>()) switch
            {
                ("ping", _) => [("zen", strings)],
                ("push", _) => [.. repository, ("repository.full_name", strings), ("deleted", NotBooleans)],
                ("star", "deleted") => [("action", required), .. repository, ("repository.full_name", required)],
                _ =>
                [
                    ("action", required), .. repository, ("repository.name", required), ("repository.full_name", required),
                    ("repository.owner", NotObjects), ("repository.owner.login", required),
                    ("repository.clone_url", [.. required, .. BadUrls]), ("repository.html_url", [.. strings, .. BadUrls]),
                    ("repository.default_branch", strings), ("repository.private", NotBooleans),
                    ("repository.size", BadSizes), ("repository.description", strings),
                    .. @event == "star" ? new (string, string[])[] { ("starred_at", [.. strings, .. BadTimestamps]) } : [],
                ],
            };
        }

        private static string[] RequiredFields(string @event, JsonObject payload) =>
            (@event, payload["action"]?.GetValue<string>()) switch
            {
                ("ping", _) => [],
                ("push", _) => ["repository", "repository.id"],
                ("star", "deleted") => ["action", "repository", "repository.id", "repository.full_name"],
                _ =>
                [
                    "action", "repository", "repository.id", "repository.name", "repository.full_name", "repository.owner",
                    "repository.owner.login", "repository.clone_url",
                ],
            };

        private static (JsonObject Parent, string Name) Locate(JsonObject payload, string path)
        {
            var parts = path.Split('.');
            var parent = payload;
            foreach (var part in parts[..^1])
            {
                parent = parent[part]!.AsObject();
            }
            return (parent, parts[^1]);
        }

        private void WrongType()
        {
            var (@event, payload) = Valid();
            var (path, bad) = Pick(ReadFields(@event, payload));
            var value = Pick(bad);
            var (parent, name) = Locate(payload, path);
            parent[name] = Placeholder;
            var text = payload.ToJsonString().Replace($"\"{Placeholder}\"", value, StringComparison.Ordinal);
            if (_random.Next(4) == 0)
            {
                // The same fault, but form-encoded: GitHub's other content type.
                SetForm("wrong-type", @event, "payload=" + Uri.EscapeDataString(text), $"form, {path} = {value}");
                return;
            }
            Set("wrong-type", @event, text, $"{path} = {value}");
        }

        private void MissingField()
        {
            var (@event, payload) = Valid();
            var required = RequiredFields(@event, payload);
            if (required.Length == 0)
            {
                Set("missing-field", @event, Pick(BadRoots), "ping with a non-object root");
                return;
            }
            var path = Pick(required);
            var (parent, name) = Locate(payload, path);
            parent.Remove(name);
            Set("missing-field", @event, payload.ToJsonString(), $"no {path}");
        }

        private void Truncated()
        {
            var (@event, payload) = Valid();
            var text = payload.ToJsonString();
            var length = _random.Next(text.Length);
            Set("truncated", @event, text[..length], $"first {length} of {text.Length} characters");
        }

        private void RandomBytes()
        {
            var bytes = new byte[_random.Next(1, 4096)];
            _random.NextBytes(bytes);
            if (_random.Next(2) == 0)
            {
                bytes[0] = (byte)'{';
            }
            Set("random-bytes", Pick(Events), "", $"{bytes.Length} random bytes");
            Body = bytes;
        }

        private void DeeplyNested()
        {
            var depth = Pick(new[] { 65, 100, 1_000, 10_000, _random.Next(65, 20_000) });
            var closed = _random.Next(3) != 0;
            var (open, close) = _random.Next(3) switch
            {
                0 => ("[", "]"),
                1 => ("{\"a\":", "}"),
                _ => ("{\"repository\":[", "]}"),
            };
            var builder = new StringBuilder("{\"action\":\"started\",\"repository\":");
            builder.Insert(builder.Length, open, depth).Append("{}");
            if (closed)
            {
                builder.Insert(builder.Length, close, depth).Append('}');
            }
            Set("deeply-nested", Pick(Events), builder.ToString(), $"{depth} levels of {open}{(closed ? "" : ", unclosed")}");
        }

        private void NotAnObjectOrDuplicateKeys()
        {
            var (@event, payload) = Valid();
            if (_random.Next(2) == 0 || @event == "ping")
            {
                Set("not-an-object", @event, Pick(BadRoots), "root is not an object");
                return;
            }
            if (_random.Next(3) == 0)
            {
                // A key that escapes a lone surrogate: the property lookup must not throw, and repository is then missing.
                Set("surrogate-key", @event, payload.ToJsonString().Replace("\"repository\":", "\"repository\\uD800\":",
                    StringComparison.Ordinal), "repository's key escapes a lone surrogate");
                return;
            }
            // The same key twice, at the root or inside repository: a checker and a consumer could read different values.
            var text = payload.ToJsonString();
            var duplicated = _random.Next(2) == 0
                ? "{\"repository\":{\"id\":1}," + text[1..]
                : text.Replace("\"repository\":{", "\"repository\":{\"id\":1,", StringComparison.Ordinal);
            Set("duplicate-keys", @event, duplicated, "a key repeated");
        }

        private void HugeWithin()
        {
            var (@event, payload) = Valid();
            var (path, bad) = Pick(ReadFields(@event, payload));
            var (parent, name) = Locate(payload, path);
            parent[name] = Placeholder;
            // Hundreds of KB of ignored content around a field of the wrong type.
            var padding = new JsonArray();
            var count = _random.Next(10_000, 40_000);
            for (var i = 0; i < count; i++)
            {
                padding.Add(i);
            }
            payload["padding"] = padding;
            payload["long_text"] = new string('x', _random.Next(10_000, 200_000));
            var value = Pick(bad);
            var text = payload.ToJsonString().Replace($"\"{Placeholder}\"", value, StringComparison.Ordinal);
            Set("huge-json", @event, text, $"{text.Length} characters, {path} = {value}");
        }

        private void OverTheLimit()
        {
            var (@event, payload) = Valid();
            var text = payload.ToJsonString();
            var size = MaxPayloadBytes + 1 + _random.Next(3 * MaxPayloadBytes);
            // Valid JSON that only grows past the limit through its padding: the size check alone must reject it.
            var body = text[..^1] + ",\"padding\":\"" + new string('p', size - text.Length - 13) + "\"}";
            Set("over-the-limit", @event, body, $"{body.Length} bytes");
            UnknownLength = _random.Next(2) == 0;
            if (_random.Next(4) == 0)
            {
                Signatures = [];
            }
        }

        private void Empty()
        {
            Set("empty", Pick(Events), "", "empty body");
            ContentType = _random.Next(4) switch
            {
                0 => null,
                1 => GitHubWebhookPayload.FormMediaType,
                _ => GitHubWebhookPayload.JsonMediaType,
            };
            UnknownLength = _random.Next(2) == 0;
        }

        private void SetForm(string category, string @event, string form, string description)
        {
            Set(category, @event, form, description);
            ContentType = _random.Next(3) == 0 ? "application/x-www-form-urlencoded; charset=utf-8" : GitHubWebhookPayload.FormMediaType;
        }

        private void Form()
        {
            var (@event, payload) = Valid();
            var json = Uri.EscapeDataString(payload.ToJsonString());
            var (form, description) = _random.Next(10) switch
            {
                0 => ("", "empty form"),
                1 => ("hook=1&zen=x", "no payload field"),
                2 => ($"payload={json}&payload={json}", "payload twice"),
                3 => ($"p%61yload={json}&payload={json}", "payload twice, once percent-encoded"),
                4 => ("payload", "payload without a value"),
                5 => ("payload=", "empty payload"),
                6 => ("payload=%ZZ%G%", "broken percent-encoding"),
                7 => ($"payload={json[..(json.Length / 2)]}", "truncated payload"),
                8 => ($"payload={Uri.EscapeDataString(Pick(BadRoots))}", "payload not an object"),
                _ => ($"payload={json}&&payload=", "payload twice, once empty"),
            };
            SetForm("form", @event, form, description);
        }

        /// <summary>A malformed body (so a header that happens to be acceptable still gets 400) plus a bad header.</summary>
        private void BadHeaders()
        {
            var (@event, payload) = Valid();
            var text = payload.ToJsonString();
            var body = _random.Next(2) == 0 ? text[..^1] : Pick(BadRoots);
            Set("headers", @event, body, "");
            switch (_random.Next(4))
            {
                case 0:
                    BadSignature();
                    break;
                case 1:
                    EventHeaders = BadHeaderValues(@event);
                    Description += "X-GitHub-Event: " + Show(EventHeaders);
                    break;
                case 2:
                    DeliveryHeaders = BadHeaderValues(Delivery);
                    Description += "X-GitHub-Delivery: " + Show(DeliveryHeaders);
                    break;
                default:
                    if (_random.Next(4) == 0)
                    {
                        ContentTypes = ["application/json", Pick(BadContentTypes)];
                    }
                    else
                    {
                        ContentType = _random.Next(8) == 0 ? null : Pick(BadContentTypes);
                    }
                    Description += "Content-Type: " + Show(ContentTypes ?? new[] { ContentType });
                    break;
            }
        }

        private string?[] BadHeaderValues(string good) => _random.Next(8) switch
        {
            0 => [],
            1 => [good, good],
            2 => [good, Garbage(8)],
            3 => [""],
            4 => ["   "],
            5 => [new string('a', 129 + _random.Next(1000))],
            6 => [Garbage(_random.Next(1, 300))],
            _ => [good + "\u00e9\u4e2d" + Garbage(5)],
        };

        private void BadSignature()
        {
            var correct = GitHubSignature.Compute(Body, WebhookRequest.Secret);
            Signatures = _random.Next(10) switch
            {
                0 => [],
                1 => [correct, correct],
                2 => [correct[..(_random.Next(correct.Length))]],
                3 => [GitHubSignature.Compute(Body, "another-secret")],
                4 => [GitHubSignature.Compute([.. Body, (byte)' '], WebhookRequest.Secret)],
                5 => ["sha1=" + Convert.ToHexStringLower(SHA1.HashData(Body))],
                6 => [correct[GitHubSignature.Prefix.Length..]],
                7 => ["sha256=" + new string('z', 64)],
                8 => [correct + "00"],
                _ => [Garbage(_random.Next(1, 200))],
            };
            Description += "X-Hub-Signature-256: " + Show(Signatures);
        }

        /// <summary>Printable characters, some outside ASCII; never CR, LF or NUL (the HTTP layer refuses those).</summary>
        private string Garbage(int length)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = _random.Next(10) == 0 ? (char)_random.Next(0xA0, 0x2FF) : (char)_random.Next(0x20, 0x7F);
            }
            return new string(chars);
        }

        private static string Show(IEnumerable<string?> values) =>
            "[" + string.Join(", ", values.Select(v => v is null ? "null" : v.Length > 40 ? v[..40] + "..." : v)) + "]";

        private sealed class ChunkedContent(byte[] body) : HttpContent
        {
            protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
                stream.WriteAsync(body).AsTask();

            protected override bool TryComputeLength(out long length)
            {
                length = 0;
                return false;
            }
        }
    }
}
