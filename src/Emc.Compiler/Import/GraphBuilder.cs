using System.Globalization;
using Emc.Compiler.Import.Passes;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Import;

/// <summary>One import: ONNX GraphProto → IR graph, following the steps <see cref="OnnxImporter"/> documents.</summary>
internal sealed class GraphBuilder
{
    /// <summary>Largest tensor import creates (bytes): VGG-19's 411 MB fc6 fits; bounds what a corrupt model can allocate.</summary>
    private const long MaxTensorBytes = 512L << 20;

    private readonly ModelProto _model;
    private readonly GraphProto _proto;
    private readonly string? _path;
    private ImportOptions _options;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly long _opset;

    public GraphBuilder(ModelProto model, string? path, ImportOptions options, DiagnosticBag diagnostics)
    {
        _model = model;
        _proto = model.Graph ?? throw new DiagnosticException(OnnxDiagnostics.MalformedModel.Create("the model has no graph", path));
        _path = path;
        _options = options;
        _diagnostics = diagnostics;
        _opset = OnnxModelLoader.DefaultOpset(model) ?? OnnxVersions.MinOpset;
    }

    public Graph? Build()
    {
        if (_diagnostics.HasErrors)
        {
            return null;
        }

        var graph = new Graph(_path, _opset);
        FillMetadata(graph);
        AddInitializers();
        AddInputs(graph);
        var order = NodeOrdering.Sort(_proto, _values.Keys, _path, _diagnostics);
        if (order is null)
        {
            return null;
        }

        var nodes = CreateNodes(order);
        ResolveOperators(nodes);
        AddOutputs(graph);
        if (_diagnostics.HasErrors && !_options.KeepPartialGraph)
        {
            return null;
        }

        InferAndFold(graph, nodes);
        if (_diagnostics.HasErrors && !_options.KeepPartialGraph)
        {
            return null;
        }

        CheckOutputs(graph);
        if (_diagnostics.HasErrors && _options.KeepPartialGraph)
        {
            KeepNodesBeforeFailures(graph, nodes);
        }

        ImportPasses.Run(graph);
        return _diagnostics.HasErrors && !_options.KeepPartialGraph ? null : graph;
    }

    private void FillMetadata(Graph graph)
    {
        var m = graph.Metadata;
        m["ir_version"] = _model.IrVersion.ToString(CultureInfo.InvariantCulture);
        m["producer_name"] = _model.ProducerName;
        m["producer_version"] = _model.ProducerVersion;
        m["domain"] = _model.Domain;
        m["model_version"] = _model.ModelVersion.ToString(CultureInfo.InvariantCulture);
        m["graph_name"] = _proto.Name;
        m["opset_import"] = string.Join(",", _model.OpsetImport.Select(o =>
            (OnnxVersions.IsDefaultDomain(o.Domain) ? "ai.onnx" : o.Domain) + "=" + o.Version.ToString(CultureInfo.InvariantCulture)));
    }

    private void AddInitializers()
    {
        foreach (var t in _proto.Initializer)
        {
            var tensor = TensorProtoConverter.FromProto(t, _path, _diagnostics);
            if (tensor is not null)
            {
                _values[t.Name] = new Value(t.Name, tensor.Type, tensor.Shape) { Constant = tensor };
            }
            else
            {
                _values[t.Name] = new Value(t.Name, DataType.Undefined);
            }
        }

        foreach (var sparse in _proto.SparseInitializer)
        {
            _diagnostics.Add(OnnxDiagnostics.InvalidTensorData.Create(
                $"sparse initializer '{sparse.Values?.Name}' is not supported; store it densely", _path));
        }
    }

    private void AddInputs(Graph graph)
    {
        ResolveInputShapeNames();
        foreach (var input in _proto.Input)
        {
            string name = input.Name;
            if (_values.ContainsKey(name))
            {
                // IR < 4 lists initializers as inputs too; in IR >= 4 an input with an initializer is a default we keep.
                continue;
            }

            if (_options.ConstantInputs?.TryGetValue(name, out var bound) == true)
            {
                _values[name] = new Value(name, bound.Type, bound.Shape) { Constant = bound };
                continue;
            }

            var value = InputValue(input);
            _values[name] = value;
            if (value.Shape is not null)
            {
                graph.Inputs.Add(value);
            }

            if (value.Shape is not null && value.Type != DataType.Float32)
            {
                Error(OnnxDiagnostics.NonFloatModel,
                    $"graph input '{name}' is {value.Type.Name()}; Emc.Build compiles float32 models (integer inputs are accepted only when bound as constants)");
            }
        }
    }

    private Value InputValue(ValueInfoProto input)
    {
        string name = input.Name;
        var type = input.Type;
        if (type?.TensorType is not { } tensorType)
        {
            Error(OnnxDiagnostics.NonTensorType, $"graph input '{name}' is {TypeDescriptions.Describe(type)}; only tensors are supported");
            return new Value(name, DataType.Undefined);
        }

        var elementType = (DataType)tensorType.ElemType;
        if (TensorProtoConverter.ElementSize(elementType) == 0)
        {
            Error(OnnxDiagnostics.NonTensorType, $"graph input '{name}' has element type {TypeDescriptions.ElementType(tensorType.ElemType)}, which is not supported");
            return new Value(name, DataType.Undefined);
        }

        var declared = tensorType.Shape?.Dim;
        if (_options.InputShapes?.TryGetValue(name, out int[]? overridden) == true)
        {
            if (overridden.Any(d => d <= 0))
            {
                Error(IrDiagnostics.UnresolvedDimension, $"the shape given for graph input '{name}' ({string.Join(",", overridden)}) has a dimension below 1");
                return new Value(name, elementType);
            }

            if (declared is not null && declared.Count != overridden.Length)
            {
                Error(IrDiagnostics.UnresolvedDimension, $"the shape given for graph input '{name}' has {overridden.Length} dimensions; the model declares {declared.Count} ({DescribeShape(declared)})");
                return new Value(name, elementType);
            }

            for (int i = 0; declared is not null && i < declared.Count; i++)
            {
                if (declared[i].HasDimValue && declared[i].DimValue > 0 && declared[i].DimValue != overridden[i])
                {
                    Error(IrDiagnostics.UnresolvedDimension,
                        $"the shape given for graph input '{name}' sets dimension {i} to {overridden[i]}; the model fixes it at {declared[i].DimValue} ({DescribeShape(declared)})");
                    return new Value(name, elementType);
                }
            }

            return new Value(name, elementType, new Shape(overridden));
        }

        if (tensorType.Shape is null)
        {
            Error(IrDiagnostics.UnresolvedDimension, $"graph input '{name}' has no shape (unknown rank); give its shape with --input-shape {name}=d0,d1,… (MSBuild: the EmcModel item's InputShape metadata)");
            return new Value(name, elementType);
        }

        var dims = new int[tensorType.Shape.Dim.Count];
        bool resolved = true;
        for (int i = 0; i < dims.Length; i++)
        {
            var dim = tensorType.Shape.Dim[i];
            if (dim.HasDimValue && dim.DimValue >= 0 && dim.DimValue <= int.MaxValue)
            {
                dims[i] = (int)dim.DimValue;
            }
            else if (i == 0 && (!dim.HasDimValue || dim.DimValue < 0))
            {
                dims[i] = _options.BatchSize;
            }
            else
            {
                string what = dim.HasDimParam ? $"symbolic '{dim.DimParam}'" : dim.HasDimValue ? $"{dim.DimValue}" : "unknown";
                if (resolved)
                {
                    Error(IrDiagnostics.UnresolvedDimension,
                        $"graph input '{name}' ({DescribeShape(tensorType.Shape.Dim)}): dimension {i} is {what}; only the batch dimension may be dynamic — give a static shape with --input-shape {name}={ExampleShape(tensorType.Shape.Dim)} (MSBuild: InputShape=\"{name}={ExampleShape(tensorType.Shape.Dim)}\" on the EmcModel item)");
                }

                resolved = false;
            }
        }

        return resolved ? new Value(name, elementType, new Shape(dims)) : new Value(name, elementType);
    }

    /// <summary>The declared shape as text: static sizes, symbol names, '?' for unknown.</summary>
    private static string DescribeShape(IReadOnlyList<TensorShapeProto.Types.Dimension> dims) =>
        "[" + string.Join(", ", dims.Select(d => d.HasDimValue && d.DimValue > 0 ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.HasDimParam ? d.DimParam : "?")) + "]";

    /// <summary>A shape to suggest: the static sizes, 1 for the batch, the symbol (or '?') where a size is needed.</summary>
    private static string ExampleShape(IReadOnlyList<TensorShapeProto.Types.Dimension> dims) =>
        string.Join(",", dims.Select((d, i) => d.HasDimValue && d.DimValue > 0 ? d.DimValue.ToString(CultureInfo.InvariantCulture)
            : i == 0 ? "1" : d.HasDimParam && d.DimParam.Length > 0 ? d.DimParam : "?"));

    /// <summary>Input shapes name graph inputs; the empty name stands for the model's only input.</summary>
    private void ResolveInputShapeNames()
    {
        if (_options.InputShapes is not { Count: > 0 } shapes)
        {
            return;
        }

        var names = _proto.Input.Select(i => i.Name).Where(n => !_values.ContainsKey(n) && _options.ConstantInputs?.ContainsKey(n) != true).ToList();
        var resolved = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (key, shape) in shapes)
        {
            string? name = key.Length == 0 ? (names.Count == 1 ? names[0] : null) : names.Contains(key) ? key : null;
            if (name is null)
            {
                Error(IrDiagnostics.UnresolvedDimension, key.Length == 0
                    ? $"an input shape without a name needs a model with exactly one input; it has {names.Count} ({string.Join(", ", names)}): write NAME=d0,d1,…"
                    : $"an input shape names '{key}', which is not a graph input (inputs: {string.Join(", ", names)})");
                continue;
            }

            resolved[name] = shape;
        }

        _options = _options with { InputShapes = resolved };
    }

    private List<Node> CreateNodes(IReadOnlyList<int> order)
    {
        var nodes = new List<Node>(order.Count);
        foreach (int index in order)
        {
            var proto = _proto.Node[index];
            string name = string.IsNullOrEmpty(proto.Name) ? $"{proto.OpType}_{index.ToString(CultureInfo.InvariantCulture)}" : proto.Name;
            var inputs = new Value?[proto.Input.Count];
            for (int i = 0; i < inputs.Length; i++)
            {
                string input = proto.Input[i];
                inputs[i] = input.Length == 0 ? null : _values[input];
            }

            var outputs = new Value[proto.Output.Count];
            for (int i = 0; i < outputs.Length; i++)
            {
                string output = proto.Output[i];
                outputs[i] = new Value(output.Length == 0 ? $"{name}:unused{i.ToString(CultureInfo.InvariantCulture)}" : output, DataType.Undefined);
                if (output.Length > 0)
                {
                    _values[output] = outputs[i];
                }
            }

            var attributes = AttributeConverter.Convert(proto, name, _path, _diagnostics);
            string domain = OnnxVersions.IsDefaultDomain(proto.Domain) ? "" : proto.Domain;
            nodes.Add(new Node(name, proto.OpType, domain, inputs, outputs, attributes));
        }

        return nodes;
    }

    private void ResolveOperators(List<Node> nodes)
    {
        var registry = _options.Registry ?? OperatorRegistry.Default;
        var unsupported = new Dictionary<(string Domain, string OpType), List<string>>();
        var quantized = new List<Node>();
        foreach (var node in nodes)
        {
            if (node.Domain.Length == 0 && QuantizedOps.Contains(node.OpType))
            {
                quantized.Add(node);
                continue;
            }

            node.Operator = registry.Find(node.Domain, node.OpType);
            if (node.Operator is null)
            {
                var key = (node.Domain, node.OpType);
                if (!unsupported.TryGetValue(key, out var names))
                {
                    unsupported[key] = names = [];
                }

                names.Add(node.Name);
            }
        }

        if (quantized.Count > 0)
        {
            string ops = string.Join(", ", quantized.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal));
            _diagnostics.Add(OnnxDiagnostics.QuantizedModel.Create(
                $"model is already quantized (QDQ/QLinear: {ops} in {Describe(quantized.Select(n => n.Name).ToList())}); export a float32 model — Emc.Build quantizes itself",
                _path, quantized[0].Name, quantized[0].OpType));
        }

        foreach (var ((domain, opType), names) in unsupported.OrderBy(p => p.Key.Domain, StringComparer.Ordinal).ThenBy(p => p.Key.OpType, StringComparer.Ordinal))
        {
            string where = domain.Length == 0
                ? $"ai.onnx opset {_opset.ToString(CultureInfo.InvariantCulture)}"
                : $"domain '{domain}' (only ai.onnx operators are supported)";
            _diagnostics.Add(OnnxDiagnostics.UnsupportedOperator.Create(
                $"operator '{opType}' ({where}) is not supported: used by {Describe(names)}", _path, names[0], opType));
        }
    }

    private static string Describe(List<string> names)
    {
        const int Shown = 10;
        string list = string.Join(", ", names.Take(Shown).Select(n => $"'{n}'"));
        string more = names.Count > Shown ? $" and {(names.Count - Shown).ToString(CultureInfo.InvariantCulture)} more" : "";
        return (names.Count == 1 ? "node " : $"{names.Count.ToString(CultureInfo.InvariantCulture)} nodes ") + list + more;
    }

    private void AddOutputs(Graph graph)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in _proto.Output)
        {
            if (!listed.Add(output.Name))
            {
                Error(OnnxDiagnostics.InvalidGraph, $"graph output '{output.Name}' is listed twice");
            }
            else if (_values.TryGetValue(output.Name, out var value))
            {
                graph.Outputs.Add(value);
            }
            else
            {
                Error(OnnxDiagnostics.InvalidGraph, $"graph output '{output.Name}' is not produced by any node, input or initializer");
            }

            if (output.Type is { } type && type.TensorType is null)
            {
                Error(OnnxDiagnostics.NonTensorType, $"graph output '{output.Name}' is {TypeDescriptions.Describe(type)}; only tensors are supported");
            }
        }
    }

    private void InferAndFold(Graph graph, List<Node> nodes)
    {
        var workspace = new Workspace();
        foreach (var node in nodes)
        {
            if (node.Operator is null || node.Inputs.Any(v => v is not null && v.Shape is null))
            {
                continue; // unsupported, or an earlier node failed; its error is already reported
            }

            var context = new InferenceContext(node, _opset, _path, _diagnostics);
            node.Operator!.Infer(context);
            if (context.Failed)
            {
                ClearOutputs(node);
                continue;
            }

            if (!CheckOutputsInferred(node))
            {
                continue;
            }

            if (node.Outputs.All(o => o.IsConstant))
            {
                // The operator knew its result from shapes alone (e.g. Shape).
                DetachFolded(node);
                continue;
            }

            if (node.Operator.CanFold && node.Inputs.All(v => v is null || v.IsConstant))
            {
                if (Fold(node, workspace))
                {
                    DetachFolded(node);
                    continue;
                }

                ClearOutputs(node);
                continue;
            }

            graph.Nodes.Add(node);
        }
    }

    private bool CheckOutputsInferred(Node node)
    {
        foreach (var output in node.Outputs)
        {
            if (output.Shape is null || output.Type == DataType.Undefined)
            {
                Error(IrDiagnostics.InvalidNode, $"node '{node.Name}' ({node.OpType}): output '{output.Name}' has no inferred type or shape", node);
                ClearOutputs(node);
                return false;
            }

            if (output.Shape.ElementCount > MaxTensorBytes / Math.Max(1, TensorProtoConverter.ElementSize(output.Type)))
            {
                Error(IrDiagnostics.UnsupportedShape,
                    $"node '{node.Name}' ({node.OpType}): output '{output.Name}' of shape {output.Shape} exceeds {(MaxTensorBytes >> 20).ToString(CultureInfo.InvariantCulture)} MiB", node);
                ClearOutputs(node);
                return false;
            }
        }

        return true;
    }

    private bool Fold(Node node, Workspace workspace)
    {
        var inputs = node.Inputs.Select(v => v?.Constant).ToArray();
        var outputs = node.Outputs.Select(v => Tensor.Zeros(v.Type, v.Shape!)).ToArray();
        try
        {
            node.Operator!.Evaluate(new EvaluationContext(node, inputs, outputs, workspace));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Infer validated the node, so this is a defect in the operator; report it instead of crashing.
            Error(IrDiagnostics.InvalidNode, $"node '{node.Name}' ({node.OpType}): constant folding failed: {e.GetType().Name}: {e.Message}", node);
            return false;
        }

        for (int i = 0; i < outputs.Length; i++)
        {
            node.Outputs[i].Constant = outputs[i];
        }

        return true;
    }

    private static void DetachFolded(Node node)
    {
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            node.Inputs[i]?.Consumers.Remove(node);
        }

        foreach (var output in node.Outputs)
        {
            output.Producer = null;
        }
    }

    private static void ClearOutputs(Node node)
    {
        foreach (var output in node.Outputs)
        {
            output.Shape = null;
        }
    }

    /// <summary>In a partial graph, the values that feed nodes which did not import become outputs too, so the nodes
    /// before them stay (and later stages can report on them).</summary>
    private static void KeepNodesBeforeFailures(Graph graph, List<Node> nodes)
    {
        var imported = new HashSet<Node>(graph.Nodes);
        foreach (var node in nodes.Where(n => !imported.Contains(n) && n.Outputs.Any(o => o.Shape is null)))
        {
            foreach (var input in node.Inputs)
            {
                if (input is { Shape: not null, IsConstant: false } && !graph.Outputs.Contains(input) && !graph.Inputs.Contains(input))
                {
                    graph.Outputs.Add(input);
                }
            }
        }
    }

    private void CheckOutputs(Graph graph)
    {
        foreach (var output in graph.Outputs)
        {
            // int64 outputs (ArgMax class indices) can only come from a CPU tail (--tail auto); lowering says so.
            if (output.Shape is not null && output.Type is not (DataType.Float32 or DataType.Int64))
            {
                Error(OnnxDiagnostics.NonFloatModel, $"graph output '{output.Name}' is {output.Type.Name()}; Emc.Build compiles float32 models (int64 outputs only from a CPU tail)");
            }
        }

        foreach (var declared in _proto.Output)
        {
            if (declared.Type?.TensorType?.Shape is not { } shape || !_values.TryGetValue(declared.Name, out var value) || value.Shape is null)
            {
                continue;
            }

            bool mismatch = shape.Dim.Count != value.Shape.Rank;
            for (int i = 1; !mismatch && i < shape.Dim.Count; i++)
            {
                mismatch = shape.Dim[i].HasDimValue && shape.Dim[i].DimValue != value.Shape[i];
            }

            if (mismatch)
            {
                _diagnostics.Add(OnnxDiagnostics.InvalidGraph.Create(
                    $"graph output '{declared.Name}': inferred shape {value.Shape} disagrees with the declared shape [{string.Join(",", shape.Dim.Select(DescribeDim))}]",
                    _path) with { Severity = DiagnosticSeverity.Warning });
            }
        }
    }

    private static string DescribeDim(TensorShapeProto.Types.Dimension d) =>
        d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.HasDimParam ? d.DimParam : "?";

    private void Error(DiagnosticDescriptor descriptor, string message, Node? node = null) =>
        _diagnostics.Add(descriptor.Create(message, _path, node?.Name, node?.OpType));
}
