namespace Emc.Compiler.Ir;

/// <summary>
/// What an <see cref="Operator"/> sees while evaluating one node: input tensors, preallocated output tensors of
/// the inferred shapes, the parsed parameters and reusable scratch memory. An evaluator creates one context per
/// node once and reuses it for every run, so evaluation allocates nothing per run.
/// </summary>
public sealed class EvaluationContext
{
    private readonly Tensor?[] _inputs;
    private readonly Tensor[] _outputs;
    private readonly Workspace _workspace;

    public EvaluationContext(Node node, Tensor?[] inputs, Tensor[] outputs, Workspace workspace)
    {
        Node = node;
        _inputs = inputs;
        _outputs = outputs;
        _workspace = workspace;
    }

    public Node Node { get; }

    /// <summary>Threads a kernel may use (1 = single-threaded); results must not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    public int InputCount => _inputs.Length;

    public bool HasInput(int index) => index < _inputs.Length && _inputs[index] is not null;

    public Tensor Input(int index) => _inputs[index] ?? throw new InvalidOperationException($"input {index} of {Node} is absent");

    public Tensor<T> Input<T>(int index)
        where T : unmanaged => Input(index).As<T>();

    public Tensor Output(int index) => _outputs[index];

    public Tensor<T> Output<T>(int index)
        where T : unmanaged => _outputs[index].As<T>();

    /// <summary>The typed parameters <see cref="Operator.Infer"/> stored on the node.</summary>
    public T Parameters<T>()
        where T : class => Node.Parameters as T ?? throw new InvalidOperationException($"{Node} has no {typeof(T).Name} parameters");

    /// <summary>Scratch memory valid until the next call of <see cref="Scratch{T}"/> with the same slot.</summary>
    public Span<T> Scratch<T>(int slot, int length)
        where T : unmanaged => _workspace.Get<T>(slot, length);
}
