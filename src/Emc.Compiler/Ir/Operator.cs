namespace Emc.Compiler.Ir;

/// <summary>
/// One ONNX operator: how a node of this type is imported (attributes and constant inputs parsed into typed
/// parameters, validated for the model's opset, output types and shapes inferred) and how it is evaluated in
/// float32 (the reference the quantized model is judged against, also used to fold constants).
/// One subclass per operator, one file each, under <c>Ops/</c>; <see cref="OperatorRegistry"/> finds them.
/// </summary>
public abstract class Operator
{
    /// <summary>The ONNX op type, e.g. <c>Conv</c>.</summary>
    public abstract string OpType { get; }

    /// <summary>The operator domain; "" is ai.onnx.</summary>
    public virtual string Domain => "";

    /// <summary>Whether a node whose inputs are all constant may be evaluated at import (constant folding).</summary>
    public virtual bool CanFold => true;

    /// <summary>
    /// Parses and validates the node (attributes per <see cref="InferenceContext.Opset"/>, constant inputs it
    /// needs), stores typed parameters in <see cref="Node.Parameters"/> and sets the type and shape of every
    /// output. Reports problems through the context (naming the attribute and the limit) and returns; never
    /// throws for a bad model.
    /// </summary>
    public abstract void Infer(InferenceContext context);

    /// <summary>Computes the outputs. Inputs and outputs have the types and shapes <see cref="Infer"/> set.</summary>
    public abstract void Evaluate(EvaluationContext context);
}
