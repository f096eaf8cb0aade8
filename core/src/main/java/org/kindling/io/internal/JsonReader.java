package org.kindling.io.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict pull reader of JSON (RFC 8259) over UTF-8 bytes, for headers whose schema the caller
 * knows: the caller asks for the token it expects and gets a {@link SyntaxException} naming the
 * byte offset otherwise. It builds no tree, so memory stays proportional to what the caller keeps,
 * and it never recurses.
 */
public final class JsonReader {
    /** Malformed or unexpected JSON; {@link #offset} is the byte offset in the input. */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        public final int offset;

        SyntaxException(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    private final byte[] in;
    private final int end;
    private int pos;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    public JsonReader(byte[] in, int length) {
        this.in = in;
        this.end = length;
    }

    /** The byte offset of the next unread byte. */
    public int position() {
        return pos;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = in[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    /** The next non-whitespace byte without consuming it, or -1 at the end. */
    public int peek() {
        skipWhitespace();
        return pos < end ? in[pos] & 0xff : -1;
    }

    /** Consumes {@code c} (after whitespace) or fails. */
    public void expect(char c) throws SyntaxException {
        if (peek() != c) throw error("expected '" + c + "' but found " + describeNext());
        pos++;
    }

    /** Consumes {@code c} if it is next (after whitespace). */
    public boolean consumeIf(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Fails unless only whitespace remains. */
    public void expectEnd() throws SyntaxException {
        if (peek() != -1) throw error("unexpected " + describeNext() + " after the end of the JSON object");
    }

    /** After a member or element: consumes ',' and returns true, or consumes {@code close} and returns false. */
    public boolean nextMember(char close) throws SyntaxException {
        int c = peek();
        if (c == ',') {
            pos++;
            return true;
        }
        if (c == close) {
            pos++;
            return false;
        }
        throw error("expected ',' or '" + close + "' but found " + describeNext());
    }

    /** A description of the next token for error messages: a quoted character or "the end of the header". */
    public String describeNext() {
        int c = peek();
        if (c == -1) return "the end of the header";
        if (c >= 0x20 && c < 0x7f) return "'" + (char) c + "'";
        return String.format("byte 0x%02x", c);
    }

    public SyntaxException error(String message) {
        return new SyntaxException(message, pos);
    }

    /** Reads a string value, decoding escapes; rejects raw control characters, bad UTF-8 and lone surrogates. */
    public String readString() throws SyntaxException {
        if (peek() != '"') throw error("expected a string but found " + describeNext());
        pos++;
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= end) throw error("unterminated string");
            int c = in[pos] & 0xff;
            if (c == '"') {
                String tail = decode(start, pos);
                pos++;
                if (sb == null) return tail;
                return sb.append(tail).toString();
            }
            if (c == '\\') {
                if (sb == null) sb = new StringBuilder();
                sb.append(decode(start, pos));
                pos++;
                readEscape(sb);
                start = pos;
            } else if (c < 0x20) {
                throw error(String.format("control character 0x%02x in a string (it must be escaped)", c));
            } else {
                pos++;
            }
        }
    }

    private String decode(int from, int to) throws SyntaxException {
        if (from == to) return "";
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) ascii = in[i] >= 0;
        if (ascii) return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
        try {
            CharBuffer cb = utf8.reset().decode(ByteBuffer.wrap(in, from, to - from));
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw new SyntaxException("invalid UTF-8 in a string", from);
        }
    }

    private void readEscape(StringBuilder sb) throws SyntaxException {
        if (pos >= end) throw error("unterminated string");
        int c = in[pos++] & 0xff;
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char ch = readHex4();
                if (Character.isHighSurrogate(ch)) {
                    if (pos + 1 < end && in[pos] == '\\' && in[pos + 1] == 'u') {
                        pos += 2;
                        char low = readHex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw new SyntaxException("unpaired surrogate \\u" + hex(ch) + " in a string", pos - 12);
                        }
                        sb.append(ch).append(low);
                        return;
                    }
                    throw new SyntaxException("unpaired surrogate \\u" + hex(ch) + " in a string", pos - 6);
                }
                if (Character.isLowSurrogate(ch)) {
                    throw new SyntaxException("unpaired surrogate \\u" + hex(ch) + " in a string", pos - 6);
                }
                sb.append(ch);
            }
            default -> {
                pos--;
                throw error("invalid escape '\\" + (c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                        : String.format("0x%02x", c)) + "' in a string");
            }
        }
    }

    private static String hex(char c) {
        return String.format("%04x", (int) c);
    }

    private char readHex4() throws SyntaxException {
        if (pos + 4 > end) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in[pos + i] & 0xff, 16);
            if (d < 0 || in[pos + i] < 0) throw error("invalid \\u escape: expected 4 hex digits");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    /**
     * Reads a JSON number that must be an integer fitting a {@code long}; fractions, exponents,
     * leading zeros and out-of-range values are errors.
     */
    public long readLong() throws SyntaxException {
        int c = peek();
        int start = pos;
        boolean negative = false;
        if (c == '-') {
            negative = true;
            pos++;
        }
        if (pos >= end || in[pos] < '0' || in[pos] > '9') {
            pos = start;
            throw error("expected an integer but found " + describeNext());
        }
        if (in[pos] == '0' && pos + 1 < end && in[pos + 1] >= '0' && in[pos + 1] <= '9') {
            throw error("invalid number: leading zero");
        }
        long v = 0;
        boolean overflow = false;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            int d = in[pos++] - '0';
            if (!overflow) {
                // accumulate negatively so that Long.MIN_VALUE fits
                if (v < (Long.MIN_VALUE + d) / 10) {
                    overflow = true;
                } else {
                    v = v * 10 - d;
                }
            }
        }
        if (pos < end && (in[pos] == '.' || in[pos] == 'e' || in[pos] == 'E')) {
            throw new SyntaxException("expected an integer but found the number "
                    + numberText(start), start);
        }
        if (overflow || (!negative && v == Long.MIN_VALUE)) {
            throw new SyntaxException("integer " + numberText(start) + " is out of range", start);
        }
        return negative ? v : -v;
    }

    private String numberText(int start) {
        int p = start;
        while (p < end && p - start < 40) {
            byte b = in[p];
            if (!((b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E')) break;
            p++;
        }
        String s = new String(in, start, p - start, StandardCharsets.ISO_8859_1);
        return p - start >= 40 ? s + "..." : s;
    }
}
