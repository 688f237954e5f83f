using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reyn.Events.Jsonl;
using Reyn.Events.Serialization;
using Reyn.Testing;

namespace Reyn.Events.Tests.DependencyInjection;

public sealed class AddReynEventsTests : IDisposable
{
    private readonly TempDirectory _temp = new("reyn-di");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AddReynEvents_Defaults_EmittedEventsLandInJsonlUnderRoot()
    {
        var root = _temp.Combine(".reyn");
        string? file;
        await using (var services = new ServiceCollection().AddReynEvents(o => o.RootDirectory = root).BuildServiceProvider())
        {
            var log = services.GetRequiredService<EventLog>();
            log.Emit(EventTypes.ChatStarted, new EventData { [EventFields.SessionId] = "main", ["password"] = "p" });
            await log.Pipeline.FlushAsync();
            file = services.GetRequiredService<JsonlAuditSink>().LastWrittenFile;
            log.Pipeline.Sinks.Should().ContainSingle(s => s is JsonlAuditSink);
        }

        file.Should().StartWith(Path.Combine(root, "events"));
        var line = File.ReadAllLines(file!).Should().ContainSingle().Subject;
        var evt = EventJsonReader.Parse(line);
        evt.Data["password"].Should().Be("[redacted]");
        evt.Data[EventFields.Agent].Should().Be("reyn/" + Environment.MachineName);
    }

    [Fact]
    public void AddReynEvents_JsonlDisabled_NoFileSink()
    {
        using var services = new ServiceCollection()
            .AddReynEvents(o => { o.RootDirectory = _temp.Path; o.Jsonl.Enabled = false; })
            .BuildServiceProvider();

        services.GetRequiredService<EventPipeline>().Sinks.Should().NotContain(s => s is JsonlAuditSink);
    }

    [Fact]
    public async Task AddReynEvents_ExtraSinkAndConsoleReporter_BothAttached()
    {
        var sink = new Support.CollectingSink();
        var output = new StringWriter();
        await using var services = new ServiceCollection()
            .AddSingleton<IEventSink>(sink)
            .AddReynEvents(o => o.RootDirectory = _temp.Path)
            .AddReynConsoleReporter(output: output)
            .BuildServiceProvider();

        var log = services.GetRequiredService<EventLog>();
        log.Emit(EventTypes.CronFired, new EventData { ["job"] = "nightly" });
        await log.Pipeline.FlushAsync();

        sink.Events.Should().ContainSingle();
        output.ToString().Should().Contain("[cron] Cron job nightly fired");
    }

    [Theory]
    [InlineData("root", "ReynEventsOptions.RootDirectory")]
    [InlineData("string", "ReynEventsOptions.Sanitizer.MaxStringLength")]
    [InlineData("payload", "ReynEventsOptions.Sanitizer.MaxPayloadBytes")]
    [InlineData("queue", "ReynEventsOptions.Jsonl.QueueCapacity")]
    [InlineData("files", "ReynEventsOptions.Jsonl.MaxOpenFiles")]
    [InlineData("age", "ReynEventsOptions.Jsonl.SessionFileMaxAge")]
    [InlineData("host", "ReynEventsOptions.Jsonl.HostSessionName")]
    public void AddReynEvents_InvalidOption_OptionsValidationExceptionNamesIt(string which, string optionName)
    {
        using var services = new ServiceCollection().AddReynEvents(o =>
        {
            o.RootDirectory = _temp.Path;
            switch (which)
            {
                case "root": o.RootDirectory = " "; break;
                case "string": o.Sanitizer.MaxStringLength = 0; break;
                case "payload": o.Sanitizer.MaxPayloadBytes = -1; break;
                case "queue": o.Jsonl.QueueCapacity = 0; break;
                case "files": o.Jsonl.MaxOpenFiles = 0; break;
                case "age": o.Jsonl.SessionFileMaxAge = TimeSpan.FromSeconds(-1); break;
                case "host": o.Jsonl.HostSessionName = "../etc"; break;
            }
        }).BuildServiceProvider();

        var atStart = () => services.GetRequiredService<IStartupValidator>().Validate();
        var onResolve = () => services.GetRequiredService<EventLog>();

        atStart.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(optionName);
        onResolve.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(optionName);
    }
}
