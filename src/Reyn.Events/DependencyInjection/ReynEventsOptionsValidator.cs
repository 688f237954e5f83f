using Microsoft.Extensions.Options;

namespace Reyn.Events.Internal;

/// <summary>Validates <see cref="ReynEventsOptions"/> at start with messages that name the option and say how to fix it.</summary>
internal sealed class ReynEventsOptionsValidator : IValidateOptions<ReynEventsOptions>
{
    public ValidateOptionsResult Validate(string? name, ReynEventsOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
