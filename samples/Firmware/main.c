/* Firmware-style use of a generated header. On a K210 you would write:
 *     kpu_model_context_t ctx;
 *     kpu_load_kmodel(&ctx, shapes_kmodel);
 * Here (host) it prints what the header says about the model. */
#include <stdio.h>
#include "shapes.h"

int main(void)
{
    unsigned i;
    printf("shapes.kmodel: %u bytes, %u layers, main memory %u bytes, sha256 %s\n",
           (unsigned)SHAPES_KMODEL_SIZE, (unsigned)SHAPES_LAYER_COUNT, (unsigned)SHAPES_MAIN_MEMORY_USAGE, SHAPES_SHA256);
    printf("input %s: %ux%ux%ux%u %s\n", shapes_inputs[0].name, (unsigned)shapes_inputs[0].shape[0],
           (unsigned)shapes_inputs[0].shape[1], (unsigned)shapes_inputs[0].shape[2], (unsigned)shapes_inputs[0].shape[3],
           shapes_inputs[0].element_type == EMC_ELEMENT_UINT8 ? "uint8" : "float32");
    for (i = 0; i < SHAPES_LAYER_COUNT; i++)
    {
        unsigned d;
        printf("  layer %2u %-22s %s %-9s out", (unsigned)shapes_layers[i].index, shapes_layers[i].type,
               shapes_layers[i].on_kpu ? "KPU" : "CPU", shapes_layers[i].placement);
        for (d = 0; d < shapes_layers[i].output_rank; d++)
            printf("%s%u", d == 0 ? " " : "x", (unsigned)shapes_layers[i].output_shape[d]);
        printf("\n");
    }
    return shapes_kmodel[0] == 3u ? 0 : 1; /* kmodel v3 */
}
