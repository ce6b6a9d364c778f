namespace Emc.Imaging.Jpeg;

/// <summary>
/// Entropy-decodes one scan (sequential or any of the four progressive kinds) into the components' coefficient
/// buffers, handling interleaved/non-interleaved MCU order and restart intervals.
/// </summary>
internal static class JpegScanDecoder
{
    /// <summary>Decodes the scan's entropy data starting at <paramref name="position"/>; returns the position after it.</summary>
    public static int Decode(
        ReadOnlySpan<byte> data, int position, in JpegScan scan, bool progressive, int restartInterval,
        int mcusPerLine, int mcusPerColumn, HuffmanTable?[] dcTables, HuffmanTable?[] acTables)
    {
        var bits = new JpegBitReader(data, position);
        foreach (JpegComponent c in scan.Components)
        {
            c.DcPredictor = 0;
            bool needsDc = !progressive || (scan.Ss == 0 && scan.Ah == 0);
            bool needsAc = !progressive || scan.Ss > 0;
            if ((needsDc && dcTables[c.DcTable] is null) || (needsAc && acTables[c.AcTable] is null))
            {
                throw Fail.Corrupt($"JPEG scan uses an undefined Huffman table (component {c.Id})");
            }
        }

        var kind = !progressive ? Kind.Sequential
            : scan.Ss == 0 ? (scan.Ah == 0 ? Kind.DcFirst : Kind.DcRefine)
            : scan.Ah == 0 ? Kind.AcFirst : Kind.AcRefine;
        var state = new State(scan, kind, dcTables, acTables);

        if (scan.Components.Length == 1)
        {
            JpegComponent c = scan.Components[0];
            int total = c.UsedBlocksPerLine * c.UsedBlocksPerColumn;
            for (int n = 0; n < total; n++)
            {
                Restart(ref bits, ref state, n, restartInterval);
                state.DecodeBlock(ref bits, c, c.Block(n / c.UsedBlocksPerLine, n % c.UsedBlocksPerLine));
            }
        }
        else
        {
            int total = mcusPerLine * mcusPerColumn;
            for (int n = 0; n < total; n++)
            {
                Restart(ref bits, ref state, n, restartInterval);
                int mcuRow = n / mcusPerLine, mcuCol = n % mcusPerLine;
                foreach (JpegComponent c in scan.Components)
                {
                    for (int v = 0; v < c.V; v++)
                    {
                        for (int h = 0; h < c.H; h++)
                        {
                            state.DecodeBlock(ref bits, c, c.Block((mcuRow * c.V) + v, (mcuCol * c.H) + h));
                        }
                    }
                }
            }
        }

        if (bits.Overran && bits.HitEndOfData)
        {
            throw Fail.Truncated("JPEG");
        }

        return bits.Position;
    }

    private static void Restart(ref JpegBitReader bits, ref State state, int mcu, int interval)
    {
        if (interval > 0 && mcu > 0 && mcu % interval == 0)
        {
            bits.ExpectRestart();
            state.EobRun = 0;
            foreach (JpegComponent c in state.Scan.Components)
            {
                c.DcPredictor = 0;
            }
        }
    }

    private enum Kind
    {
        Sequential,
        DcFirst,
        DcRefine,
        AcFirst,
        AcRefine,
    }

    private struct State(JpegScan scan, Kind kind, HuffmanTable?[] dcTables, HuffmanTable?[] acTables)
    {
        public readonly JpegScan Scan = scan;
        public int EobRun;

        public void DecodeBlock(ref JpegBitReader bits, JpegComponent c, Span<short> block)
        {
            switch (kind)
            {
                case Kind.Sequential:
                    DecodeSequential(ref bits, c, block);
                    break;
                case Kind.DcFirst:
                    {
                        int s = dcTables[c.DcTable]!.Decode(ref bits);
                        c.DcPredictor += bits.Receive(s);
                        block[0] = (short)(c.DcPredictor << Scan.Al);
                        break;
                    }

                case Kind.DcRefine:
                    if (bits.ReadBit() != 0)
                    {
                        block[0] |= (short)(1 << Scan.Al);
                    }

                    break;
                case Kind.AcFirst:
                    DecodeAcFirst(ref bits, acTables[c.AcTable]!, block);
                    break;
                default:
                    DecodeAcRefine(ref bits, acTables[c.AcTable]!, block);
                    break;
            }
        }

        private readonly void DecodeSequential(ref JpegBitReader bits, JpegComponent c, Span<short> block)
        {
            int s = dcTables[c.DcTable]!.Decode(ref bits);
            c.DcPredictor += bits.Receive(s);
            block[0] = (short)c.DcPredictor;
            HuffmanTable ac = acTables[c.AcTable]!;
            ReadOnlySpan<byte> natural = ZigZag.ToNatural;
            for (int k = 1; k < 64; k++)
            {
                int rs = ac.Decode(ref bits);
                int r = rs >> 4;
                s = rs & 15;
                if (s != 0)
                {
                    k += r;
                    block[natural[k]] = (short)bits.Receive(s);
                }
                else if (r == 15)
                {
                    k += 15;
                }
                else
                {
                    break;
                }
            }
        }

        private void DecodeAcFirst(ref JpegBitReader bits, HuffmanTable ac, Span<short> block)
        {
            if (EobRun > 0)
            {
                EobRun--;
                return;
            }

            ReadOnlySpan<byte> natural = ZigZag.ToNatural;
            for (int k = Scan.Ss; k <= Scan.Se; k++)
            {
                int rs = ac.Decode(ref bits);
                int r = rs >> 4;
                int s = rs & 15;
                if (s != 0)
                {
                    k += r;
                    block[natural[k]] = (short)(bits.Receive(s) * (1 << Scan.Al));
                }
                else if (r == 15)
                {
                    k += 15;
                }
                else
                {
                    EobRun = (1 << r) - 1 + bits.ReadBits(r);
                    break;
                }
            }
        }

        private void DecodeAcRefine(ref JpegBitReader bits, HuffmanTable ac, Span<short> block)
        {
            int p1 = 1 << Scan.Al;
            int m1 = -1 * (1 << Scan.Al);
            ReadOnlySpan<byte> natural = ZigZag.ToNatural;
            int k = Scan.Ss;
            int se = Scan.Se;
            if (EobRun == 0)
            {
                for (; k <= se; k++)
                {
                    int rs = ac.Decode(ref bits);
                    int r = rs >> 4;
                    int s = rs & 15;
                    if (s != 0)
                    {
                        s = bits.ReadBit() != 0 ? p1 : m1;
                    }
                    else if (r != 15)
                    {
                        EobRun = (1 << r) + bits.ReadBits(r);
                        break;
                    }

                    // Skip r zero-history coefficients, refining the non-zero ones passed on the way.
                    while (k <= se)
                    {
                        int z = natural[k];
                        if (block[z] != 0)
                        {
                            Refine(ref bits, ref block[z], p1, m1);
                        }
                        else
                        {
                            if (r == 0)
                            {
                                break;
                            }

                            r--;
                        }

                        k++;
                    }

                    if (s != 0 && k <= se)
                    {
                        block[natural[k]] = (short)s;
                    }
                }
            }

            if (EobRun > 0)
            {
                for (; k <= se; k++)
                {
                    int z = natural[k];
                    if (block[z] != 0)
                    {
                        Refine(ref bits, ref block[z], p1, m1);
                    }
                }

                EobRun--;
            }
        }

        private static void Refine(ref JpegBitReader bits, ref short coef, int p1, int m1)
        {
            if (bits.ReadBit() != 0 && (coef & p1) == 0)
            {
                coef += (short)(coef >= 0 ? p1 : m1);
            }
        }
    }
}
