namespace Emc.Kmodel.Tests.Simulation;

/// <summary>
/// Region-layer decoding of the 20-class YOLOv2 example (nncase kpu_20classes_example): output planes
/// [anchor][x, y, w, h, objectness, 20 class scores][7][10]; sigmoid on x, y, objectness; softmax over classes;
/// score = objectness × class probability kept above the threshold; per-class NMS. Written for the tests from
/// the example's description (anchors, threshold 0.5, NMS 0.2), not from its code.
/// </summary>
internal static class YoloRegionDecoder
{
    public static readonly float[] Anchors = [1.08f, 1.19f, 3.42f, 4.41f, 6.63f, 11.38f, 9.42f, 5.11f, 16.62f, 10.52f];

    public static readonly string[] Classes =
    [
        "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    public sealed record Detection(string Label, float Score, float CenterX, float CenterY, float Width, float Height);

    public static List<Detection> Decode(float[] output, int gridW = 10, int gridH = 7, int imageW = 320, int imageH = 240, float threshold = 0.5f, float nms = 0.2f)
    {
        int anchors = Anchors.Length / 2, classes = Classes.Length, plane = gridW * gridH, entries = 5 + classes;
        Assert.AreEqual(anchors * entries * plane, output.Length, "YOLO output size");
        var boxes = new List<(float X, float Y, float W, float H, float[] Scores)>();
        for (int n = 0; n < anchors; n++)
        {
            for (int loc = 0; loc < plane; loc++)
            {
                float At(int e) => output[(((n * entries) + e) * plane) + loc];
                int row = loc / gridW, col = loc % gridW;
                float x = (col + Sigmoid(At(0))) / gridW;
                float y = (row + Sigmoid(At(1))) / gridH;
                float w = MathF.Exp(At(2)) * Anchors[2 * n] / gridW;
                float h = MathF.Exp(At(3)) * Anchors[(2 * n) + 1] / gridH;
                float objectness = Sigmoid(At(4));
                float max = float.MinValue;
                for (int j = 0; j < classes; j++)
                {
                    max = Math.Max(max, At(5 + j));
                }

                float sum = 0;
                float[] scores = new float[classes];
                for (int j = 0; j < classes; j++)
                {
                    scores[j] = MathF.Exp(At(5 + j) - max);
                    sum += scores[j];
                }

                for (int j = 0; j < classes; j++)
                {
                    float p = objectness * scores[j] / sum;
                    scores[j] = p > threshold ? p : 0;
                }

                boxes.Add((x, y, w, h, scores));
            }
        }

        for (int k = 0; k < classes; k++)
        {
            var order = Enumerable.Range(0, boxes.Count).OrderByDescending(i => boxes[i].Scores[k]).ToList();
            for (int i = 0; i < order.Count; i++)
            {
                var a = boxes[order[i]];
                if (a.Scores[k] == 0)
                {
                    continue;
                }

                for (int j = i + 1; j < order.Count; j++)
                {
                    var b = boxes[order[j]];
                    if (Iou(a.X, a.Y, a.W, a.H, b.X, b.Y, b.W, b.H) > nms)
                    {
                        b.Scores[k] = 0;
                    }
                }
            }
        }

        var found = new List<Detection>();
        foreach (var b in boxes)
        {
            int best = 0;
            for (int j = 1; j < classes; j++)
            {
                if (b.Scores[j] > b.Scores[best])
                {
                    best = j;
                }
            }

            if (b.Scores[best] > threshold)
            {
                found.Add(new Detection(Classes[best], b.Scores[best], b.X * imageW, b.Y * imageH, b.W * imageW, b.H * imageH));
            }
        }

        return found;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float Iou(float ax, float ay, float aw, float ah, float bx, float by, float bw, float bh)
    {
        float w = Overlap(ax, aw, bx, bw), h = Overlap(ay, ah, by, bh);
        float inter = w < 0 || h < 0 ? 0 : w * h;
        return inter / ((aw * ah) + (bw * bh) - inter);
    }

    private static float Overlap(float x1, float w1, float x2, float w2)
        => Math.Min(x1 + (w1 / 2), x2 + (w2 / 2)) - Math.Max(x1 - (w1 / 2), x2 - (w2 / 2));
}
