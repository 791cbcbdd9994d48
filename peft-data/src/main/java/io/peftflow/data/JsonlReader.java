package io.peftflow.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Streams a JSONL file line by line with bounded memory (one buffer of at most the line limit), yielding a
 * {@link ParsedLine} per line. Tolerates a UTF-8 byte order mark and CRLF line ends; reports blank lines,
 * over-long lines (skipped without buffering them) and lines whose format differs from the file's (detected
 * from its first valid line). Line numbers count every line, blank ones included, so they match an editor's.
 *
 * <pre>{@code
 * try (JsonlReader reader = new JsonlReader(in, ParserLimits.DEFAULT)) {
 *     for (ParsedLine line; (line = reader.next()) != null; ) { ... }
 * }
 * }</pre>
 */
public final class JsonlReader implements Closeable {
    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final ExampleParser parser;
    private final int maxLineBytes;

    private byte[] buf = new byte[CHUNK];
    private int pos;
    private int limit;
    private boolean eof;
    private long lineNumber;

    private int lineStart;
    private int lineLength;

    private ExampleFormat fileFormat;
    private long formatLine;

    public JsonlReader(InputStream in, ParserLimits limits) {
        this(in, limits, new ExampleParser(limits));
    }

    public JsonlReader(InputStream in, ParserLimits limits, ExampleParser parser) {
        this.in = in;
        this.parser = parser;
        this.maxLineBytes = limits.maxLineBytes();
    }

    /** The next line's outcome, or null at the end of the input. */
    public ParsedLine next() throws IOException {
        while (true) {
            int nl = indexOfNewline(pos);
            if (nl >= 0) {
                return line(pos, nl - pos, nl + 1);
            }
            if (eof) {
                return pos < limit ? line(pos, limit - pos, limit) : null;
            }
            if (limit - pos > maxLineBytes) {
                return skipOverlongLine();
            }
            fill();
        }
    }

    /** The file's format, known once a valid line was read. */
    public ExampleFormat format() {
        return fileFormat;
    }

    /** Lines read so far. */
    public long lines() {
        return lineNumber;
    }

    /**
     * The bytes of the line just returned as valid (BOM and CR stripped), valid until the next call: lets
     * callers copy accepted lines verbatim without re-serialising them.
     */
    public byte[] lineBuffer() {
        return buf;
    }

    public int lineOffset() {
        return lineStart;
    }

    public int lineLength() {
        return lineLength;
    }

    private ParsedLine line(int start, int length, int next) {
        pos = next;
        lineNumber++;
        if (lineNumber == 1 && length >= 3 && buf[start] == (byte) 0xEF && buf[start + 1] == (byte) 0xBB
                && buf[start + 2] == (byte) 0xBF) {
            start += 3;
            length -= 3;
        }
        if (length > 0 && buf[start + length - 1] == '\r') {
            length--;
        }
        lineStart = start;
        lineLength = length;
        if (length > maxLineBytes) {
            return tooLong();
        }
        if (isBlank(start, length)) {
            return new ParsedLine.Invalid(lineNumber, "blank line");
        }
        ParsedLine parsed = parser.parse(lineNumber, buf, start, length);
        if (parsed instanceof ParsedLine.Valid valid) {
            ExampleFormat format = valid.example().format();
            if (fileFormat == null) {
                fileFormat = format;
                formatLine = lineNumber;
            } else if (format != fileFormat) {
                return new ParsedLine.Invalid(lineNumber, "format " + format.wireName() + " differs from the file's format "
                        + fileFormat.wireName() + " (detected on line " + formatLine + ")");
            }
        }
        return parsed;
    }

    private ParsedLine skipOverlongLine() throws IOException {
        lineNumber++;
        while (true) {
            int nl = indexOfNewline(pos);
            if (nl >= 0) {
                pos = nl + 1;
                break;
            }
            pos = limit;
            if (eof) {
                break;
            }
            fill();
        }
        return tooLong();
    }

    private ParsedLine tooLong() {
        return new ParsedLine.Invalid(lineNumber, "line longer than the limit of " + maxLineBytes + " bytes");
    }

    private boolean isBlank(int start, int length) {
        for (int i = start; i < start + length; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private int indexOfNewline(int from) {
        byte[] b = buf;
        for (int i = from; i < limit; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads more input, first moving the unread tail to the front, growing the buffer up to the line limit. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            // Full and shorter than the line limit (next() skips longer lines first): grow, up to room for a
            // maximal line plus its CR and LF, never more.
            buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) maxLineBytes + 2));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
