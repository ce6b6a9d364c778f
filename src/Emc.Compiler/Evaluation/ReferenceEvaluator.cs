using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Diagnostics;

namespace Emc.Compiler.Evaluation;

/// <summary>
/// Evaluates a resolved <see cref="Graph"/> in float32, node by node. Planned once: one buffer per computed value
/// (allocated here and reused by every run), one <see cref="EvaluationContext"/> per node, one shared
/// <see cref="Workspace"/>. A run allocates nothing but its result list. Not thread-safe: use one evaluator per thread.
/// </summary>
public sealed class ReferenceEvaluator
{
    private readonly Graph _graph;
    private readonly EvaluatorOptions _options;
    private readonly EvaluationContext[] _contexts;
    private readonly Node[] _nodes;
    private readonly Tensor?[][] _nodeInputs;

    /// <summary>For each graph input: the (node, input slot) pairs that read it.</summary>
    private readonly List<(int Node, int Slot)>[] _inputUses;
    private readonly Tensor?[] _outputSources;
    private readonly int[] _outputFromInput;
    private readonly Tensor?[] _boundInputs;

    /// <summary>Plans the evaluation of <paramref name="graph"/>; throws <see cref="ArgumentException"/> when the graph
    /// is not resolved (use <see cref="Create"/> for diagnostics).</summary>
    public ReferenceEvaluator(Graph graph, EvaluatorOptions? options = null)
        : this(graph, options, new DiagnosticBag())
    {
        if (Diagnostics.Any(d => d.IsError))
        {
            throw new ArgumentException(string.Join(Environment.NewLine, Diagnostics), nameof(graph));
        }
    }

    private ReferenceEvaluator(Graph graph, EvaluatorOptions? options, DiagnosticBag diagnostics)
    {
        _graph = graph;
        _options = options ?? new EvaluatorOptions();
        var workspace = new Workspace();
        var buffers = new Dictionary<Value, Tensor>();
        var inputIndex = new Dictionary<Value, int>();
        for (int i = 0; i < graph.Inputs.Count; i++)
        {
            inputIndex[graph.Inputs[i]] = i;
        }

        _inputUses = new List<(int, int)>[graph.Inputs.Count];
        for (int i = 0; i < _inputUses.Length; i++)
        {
            _inputUses[i] = [];
        }

        _nodes = [.. graph.Nodes];
        _contexts = new EvaluationContext[_nodes.Length];
        _nodeInputs = new Tensor?[_nodes.Length][];
        for (int n = 0; n < _nodes.Length; n++)
        {
            var node = _nodes[n];
            if (node.Operator is null || node.Outputs.Any(o => o.Shape is null))
            {
                diagnostics.Add(EvaluationDiagnostics.UnresolvedNode.Create(
                    $"node '{node.Name}' ({node.OpType}) has not been resolved (no operator or no output shape)", graph.SourcePath, node.Name, node.OpType));
                continue;
            }

            var inputs = new Tensor?[node.Inputs.Count];
            for (int k = 0; k < inputs.Length; k++)
            {
                var value = node.Inputs[k];
                if (value is null)
                {
                    continue;
                }

                if (value.Constant is { } constant)
                {
                    inputs[k] = constant;
                }
                else if (buffers.TryGetValue(value, out var buffer))
                {
                    inputs[k] = buffer;
                }
                else if (inputIndex.TryGetValue(value, out int gi))
                {
                    _inputUses[gi].Add((n, k));
                }
                else
                {
                    diagnostics.Add(EvaluationDiagnostics.UnboundValue.Create(
                        $"node '{node.Name}' ({node.OpType}) reads '{value.Name}', which no earlier node, input or constant provides",
                        graph.SourcePath, node.Name, node.OpType));
                }
            }

            var outputs = new Tensor[node.Outputs.Count];
            for (int k = 0; k < outputs.Length; k++)
            {
                var value = node.Outputs[k];
                outputs[k] = Tensor.Zeros(value.Type, value.Shape!);
                buffers[value] = outputs[k];
            }

            _nodeInputs[n] = inputs;
            _contexts[n] = new EvaluationContext(node, inputs, outputs, workspace) { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
        }

        _outputSources = new Tensor?[graph.Outputs.Count];
        _outputFromInput = new int[graph.Outputs.Count];
        for (int i = 0; i < graph.Outputs.Count; i++)
        {
            var value = graph.Outputs[i];
            _outputFromInput[i] = -1;
            if (value.Constant is { } constant)
            {
                _outputSources[i] = constant;
            }
            else if (buffers.TryGetValue(value, out var buffer))
            {
                _outputSources[i] = buffer;
            }
            else if (inputIndex.TryGetValue(value, out int gi))
            {
                _outputFromInput[i] = gi;
            }
            else
            {
                diagnostics.Add(EvaluationDiagnostics.UnboundValue.Create($"graph output '{value.Name}' is not computed by any node", graph.SourcePath));
            }
        }

        _boundInputs = new Tensor?[graph.Inputs.Count];
        Diagnostics = diagnostics;
    }

    /// <summary>The graph being evaluated.</summary>
    public Graph Graph => _graph;

    /// <summary>Problems found while planning (errors make the constructor throw).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Plans the evaluation, reporting an unresolved graph as diagnostics instead of throwing.</summary>
    public static Result<ReferenceEvaluator> Create(Graph graph, EvaluatorOptions? options = null)
    {
        var diagnostics = new DiagnosticBag();
        var evaluator = new ReferenceEvaluator(graph, options, diagnostics);
        return new Result<ReferenceEvaluator>(evaluator, diagnostics);
    }

    /// <summary>Evaluates the graph on inputs bound by position. The returned tensors are the evaluator's buffers
    /// (or the inputs/constants themselves when a graph output is one): they are overwritten by the next run, so
    /// copy what must be kept. Input problems come back as diagnostics.</summary>
    public Result<IReadOnlyList<Tensor>> TryRun(IReadOnlyList<Tensor> inputs)
    {
        var problems = CheckInputs(inputs);
        if (problems.Count > 0)
        {
            return new Result<IReadOnlyList<Tensor>>(null, problems);
        }

        return new Result<IReadOnlyList<Tensor>>(Execute(inputs), []);
    }

    /// <summary>Like <see cref="TryRun"/>, for callers that guarantee their inputs: a mismatch is a caller bug and throws
    /// <see cref="ArgumentException"/>.</summary>
    public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs)
    {
        var problems = CheckInputs(inputs);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(inputs));
        }

        return Execute(inputs);
    }

    /// <summary>Convenience for single-input graphs.</summary>
    public IReadOnlyList<Tensor> Run(params Tensor[] inputs) => Run((IReadOnlyList<Tensor>)inputs);

    private Tensor[] Execute(IReadOnlyList<Tensor> inputs)
    {
        for (int i = 0; i < inputs.Count; i++)
        {
            if (!ReferenceEquals(_boundInputs[i], inputs[i]))
            {
                _boundInputs[i] = inputs[i];
                foreach (var (node, slot) in _inputUses[i])
                {
                    _nodeInputs[node][slot] = inputs[i];
                }
            }
        }

        var observer = _options.Observer;
        for (int n = 0; n < _nodes.Length; n++)
        {
            var node = _nodes[n];
            node.Operator!.Evaluate(_contexts[n]);
            if (observer is not null)
            {
                for (int k = 0; k < node.Outputs.Count; k++)
                {
                    observer(node.Outputs[k], _contexts[n].Output(k));
                }
            }
        }

        var results = new Tensor[_outputSources.Length];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = _outputFromInput[i] >= 0 ? inputs[_outputFromInput[i]] : _outputSources[i]!;
        }

        return results;
    }

    private List<Diagnostic> CheckInputs(IReadOnlyList<Tensor> inputs)
    {
        var problems = new List<Diagnostic>();
        if (inputs.Count != _graph.Inputs.Count)
        {
            problems.Add(EvaluationDiagnostics.InputCount.Create(string.Create(CultureInfo.InvariantCulture,
                $"the graph has {_graph.Inputs.Count} inputs, {inputs.Count} were given"), _graph.SourcePath));
            return problems;
        }

        for (int i = 0; i < inputs.Count; i++)
        {
            var expected = _graph.Inputs[i];
            var given = inputs[i];
            if (given is null)
            {
                problems.Add(EvaluationDiagnostics.InputCount.Create($"input {i} ('{expected.Name}') is missing", _graph.SourcePath));
            }
            else if (given.Type != expected.Type)
            {
                problems.Add(EvaluationDiagnostics.InputType.Create(
                    $"input {i} ('{expected.Name}') must be {expected.Type.Name()}, is {given.Type.Name()}", _graph.SourcePath));
            }
            else if (!given.Shape.Equals(expected.Shape))
            {
                problems.Add(EvaluationDiagnostics.InputShape.Create(
                    $"input {i} ('{expected.Name}') must have shape {expected.Shape}, has {given.Shape}", _graph.SourcePath));
            }
        }

        return problems;
    }
}
