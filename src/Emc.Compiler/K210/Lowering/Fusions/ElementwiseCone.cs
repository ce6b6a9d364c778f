using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A chain of element-wise nodes computing y = f(x) from one run-time tensor x: every node maps each element
/// independently of its position (constant operands hold one repeated value) and keeps x's shape, and every
/// intermediate value is read only inside the chain. SiLU (x·sigmoid(x)), Mish (x·tanh(softplus(x))) and
/// (x + 3)·relu6(x)/6 are cones of x. f is evaluated by the nodes' own operators, so it is exactly the float
/// evaluator's function.
/// </summary>
internal sealed class ElementwiseCone
{
    /// <summary>Ops that map each element on its own (with constant operands of one repeated value).</summary>
    private static readonly HashSet<string> PositionIndependent =
    [
        "Relu", "Clip", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Elu", "Selu", "Softplus",
        "Exp", "Neg", "Sign", "Shrink", "Add", "Sub", "Mul", "Div", "Max", "Min", "Abs", "Sqrt", "Pow", "Reciprocal",
        "Softsign", "Log", "Erf", "Celu", "Mish", "Gelu", "ThresholdedRelu",
    ];

    private ElementwiseCone(Value source, List<Node> nodes)
    {
        Source = source;
        Nodes = nodes;
    }

    public Value Source { get; }

    /// <summary>The nodes in execution order; the last one's output is y.</summary>
    public List<Node> Nodes { get; }

    public Value Output => Nodes[^1].Outputs[0];

    /// <summary>The cone that starts at <paramref name="first"/> and grows through sole consumers, or null when the
    /// first node is not an element-wise function of one tensor.</summary>
    public static ElementwiseCone? Grow(LoweringContext ctx, Node first)
    {
        if (!IsElementwise(first) || RuntimeInputs(first).Distinct().ToList() is not [var source] || !SameShape(first, source))
        {
            return null;
        }

        var nodes = new List<Node> { first };
        var inside = new HashSet<Value> { source, first.Outputs[0] };
        while (ctx.SoleConsumer(nodes[^1].Outputs[0]) is { } next && IsElementwise(next) && SameShape(next, source)
            && RuntimeInputs(next).All(inside.Contains))
        {
            nodes.Add(next);
            inside.Add(next.Outputs[0]);
        }

        return new ElementwiseCone(source, nodes);
    }

    /// <summary>y = f(x) for each x, in float32 as the evaluator computes it.</summary>
    public double[] Evaluate(IReadOnlyList<double> xs)
    {
        var shape = Source.Shape!;
        int length = (int)shape.ElementCount;
        var result = new double[xs.Count];
        var workspace = new Workspace();
        for (int start = 0; start < xs.Count; start += length)
        {
            var values = new Dictionary<Value, Tensor>();
            var x = new float[length];
            for (int k = 0; k < length; k++)
            {
                x[k] = (float)xs[(start + k) % xs.Count];
            }

            values[Source] = Tensor.Create(shape, x);
            foreach (var node in Nodes)
            {
                var inputs = node.Inputs.Select(v => v is null ? null : v.Constant ?? values[v]).ToArray();
                var outputs = node.Outputs.Select(v => Tensor.Zeros(v.Type, v.Shape!)).ToArray();
                node.Operator!.Evaluate(new EvaluationContext(node, inputs, outputs, workspace));
                values[node.Outputs[0]] = outputs[0];
            }

            var y = values[Output].ToFloatArray();
            for (int k = 0; k < length && start + k < xs.Count; k++)
            {
                result[start + k] = y[k];
            }
        }

        return result;
    }

    private static bool IsElementwise(Node node) =>
        node.Domain.Length == 0 && node.Outputs.Count == 1 && node.Operator is not null && PositionIndependent.Contains(node.OpType)
        && node.Inputs.All(v => v is null || v.Constant is null || OneRepeatedValue(v.Constant))
        && node.Outputs[0].Type == DataType.Float32;

    private static IEnumerable<Value> RuntimeInputs(Node node) => node.Inputs.Where(v => v is { Constant: null })!;

    private static bool SameShape(Node node, Value source) =>
        node.Outputs[0].Shape is { } s && source.Shape is { } x && s.Equals(x);

    private static bool OneRepeatedValue(Tensor constant)
    {
        if (constant.Type != DataType.Float32)
        {
            return constant.ElementCount <= 1;
        }

        var values = constant.ToFloatArray();
        return values.All(v => v.Equals(values[0]));
    }
}
