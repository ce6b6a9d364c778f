using System.Reflection;

namespace Emc.Compiler.Ir;

/// <summary>Finds the <see cref="Operator"/> for a node: every concrete subclass in this assembly, keyed by domain and op type.</summary>
public sealed class OperatorRegistry
{
    private readonly Dictionary<(string Domain, string OpType), Operator> _operators;

    public OperatorRegistry(IEnumerable<Operator> operators)
    {
        _operators = [];
        foreach (var op in operators)
        {
            _operators.Add((op.Domain, op.OpType), op);
        }
    }

    public static OperatorRegistry Default { get; } = new(Discover());

    /// <summary>Op types of the default domain, sorted (for reports and documentation).</summary>
    public IReadOnlyList<string> SupportedOpTypes =>
        _operators.Keys.Where(k => k.Domain.Length == 0).Select(k => k.OpType).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The operator, or null when unsupported. "ai.onnx" is the default domain.</summary>
    public Operator? Find(string domain, string opType)
    {
        string d = domain == "ai.onnx" ? "" : domain;
        return _operators.GetValueOrDefault((d, opType));
    }

    private static IEnumerable<Operator> Discover() =>
        typeof(Operator).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Operator)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (Operator)Activator.CreateInstance(t)!);
}
