namespace Emc.Diagnostics;

/// <summary>The outcome of a public operation on user input: a value when no error occurred, and every diagnostic.</summary>
public sealed class Result<T>
    where T : class
{
    public Result(T? value, IReadOnlyList<Diagnostic> diagnostics)
    {
        Diagnostics = diagnostics;
        Value = diagnostics.Any(d => d.IsError) ? null : value;
    }

    public T? Value { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool Succeeded => Value is not null;
}
