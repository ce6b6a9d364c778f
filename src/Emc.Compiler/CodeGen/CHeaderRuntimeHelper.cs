using System.Text;

namespace Emc.Compiler.CodeGen;

/// <summary>
/// The one-call helper of a generated C header: <c>&lt;id&gt;_run(input, outputs, main_memory, kpu_arena)</c> loads the
/// embedded blob with Emc.Runtime.C and runs it on caller-provided memory. Emitted only when <c>emc_runtime.h</c> was
/// included before the header (<c>EMC_RUNTIME_H</c>), so the header still compiles alone without the runtime.
/// </summary>
internal static class CHeaderRuntimeHelper
{
    public static void Append(StringBuilder b, string id, string macro, long outputFloatCount)
    {
        string text = """
            /* One-call helper: include "emc_runtime.h" before this header and link the runtime sources.
             *   static uint8_t main_memory[MACRO_MAIN_MEMORY_USAGE];
             *   static uint8_t arena[ARENA_BYTES];          (ARENA_BYTES >= ID_kpu_arena_size())
             *   float outputs[MACRO_OUTPUT_FLOAT_COUNT];
             *   int status = ID_run(input, outputs, main_memory, arena);   (0 = EMC_OK, else an emc_status)
             * input: the model's input bytes (uint8 planar CHW, or float32 for a fully-connected first layer).
             * outputs: every output in order as float32 (float outputs copied, uint8 outputs dequantized). */
            #ifdef EMC_RUNTIME_H
            #include <string.h>
            #define MACRO_OUTPUT_FLOAT_COUNT COUNTu

            /* Bytes of KPU arena ID_run needs (the runtime's emc_model_arena_size); 0 if the blob does not load. */
            static inline size_t ID_kpu_arena_size(void)
            {
                emc_model model;
                return emc_model_load(&model, ID_kmodel, MACRO_KMODEL_SIZE, NULL) == EMC_OK ? emc_model_arena_size(&model) : 0u;
            }

            static inline int ID_run(const uint8_t *input, float *outputs, void *main_memory, void *kpu_arena)
            {
                emc_model model;
                emc_tensor_info info;
                uint32_t i;
                size_t written = 0u;
                emc_status status = emc_model_load(&model, ID_kmodel, MACRO_KMODEL_SIZE, NULL);
                memset(&info, 0, sizeof info);
                if (status == EMC_OK)
                    status = emc_model_input_info(&model, &info);
                if (status == EMC_OK)
                    status = emc_model_run(&model, input, info.bytes, (uint8_t *)main_memory, emc_model_main_memory_size(&model),
                                           (uint8_t *)kpu_arena, emc_model_arena_size(&model));
                for (i = 0u; status == EMC_OK && i < emc_model_output_count(&model); i++)
                {
                    const uint8_t *data = NULL;
                    size_t size = 0u, j;
                    status = emc_model_output_info(&model, i, &info);
                    if (status == EMC_OK)
                        status = emc_model_output(&model, i, (const uint8_t *)main_memory, &data, &size);
                    if (status != EMC_OK)
                        break;
                    if (info.element == EMC_ELEMENT_FLOAT32)
                    {
                        if (size % sizeof(float) != 0u || written + size / sizeof(float) > MACRO_OUTPUT_FLOAT_COUNT)
                            return (int)EMC_ERR_ARGUMENT;
                        memcpy(outputs + written, data, size);
                        written += size / sizeof(float);
                    }
                    else
                    {
                        if (written + size > MACRO_OUTPUT_FLOAT_COUNT)
                            return (int)EMC_ERR_ARGUMENT;
                        for (j = 0u; j < size; j++)
                            outputs[written + j] = info.has_quantization ? (float)data[j] * info.scale + info.bias : (float)data[j];
                        written += size;
                    }
                }
                return (int)status;
            }
            #endif /* EMC_RUNTIME_H */


            """;
        b.Append(text.Replace("MACRO_", macro + "_", StringComparison.Ordinal)
            .Replace("ID_", id + "_", StringComparison.Ordinal)
            .Replace("COUNTu", outputFloatCount.ToString(System.Globalization.CultureInfo.InvariantCulture) + "u", StringComparison.Ordinal));
    }
}
