package io.pekkube.node.kubelet.server.spdy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The name/value header blocks of SPDY/3 (§2.6.10): a 32-bit count, then each name and value with a
 * 32-bit length, zlib-compressed with the protocol's dictionary. Each direction of a connection is
 * one zlib stream, flushed (SYNC_FLUSH) after every block, so an encoder and a decoder each belong
 * to one connection and must see its blocks in order.
 */
public final class SpdyHeaderBlockCodec {
  /** A decompressed header block larger than this is a protocol error (a zip bomb, not headers). */
  static final int MAX_BLOCK_BYTES = 1 << 20;

  /** The SPDY/3 dictionary (§2.6.10.1): length-prefixed header names and values, then common text. */
  static final byte[] DICTIONARY = dictionary();

  private SpdyHeaderBlockCodec() {}

  /** A header block that cannot be read. */
  public static final class InvalidHeaderBlock extends Exception {
    InvalidHeaderBlock(String message) {
      super(message);
    }
  }

  /** Compresses the blocks one side of a connection sends. */
  public static final class Encoder {
    private final Deflater deflater = new Deflater();
    private final byte[] buffer = new byte[4096];

    public Encoder() {
      deflater.setDictionary(DICTIONARY);
    }

    public byte[] encode(Map<String, List<String>> headers) {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      writeInt(raw, headers.size());
      headers.forEach((name, values) -> {
        byte[] n = name.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        byte[] v = String.join("\0", values).getBytes(StandardCharsets.UTF_8);
        writeInt(raw, n.length);
        raw.writeBytes(n);
        writeInt(raw, v.length);
        raw.writeBytes(v);
      });
      deflater.setInput(raw.toByteArray());
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      int n;
      do {
        n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        compressed.write(buffer, 0, n);
      } while (n == buffer.length);
      return compressed.toByteArray();
    }
  }

  /** Decompresses the blocks the other side sends. */
  public static final class Decoder {
    private final Inflater inflater = new Inflater();
    private final byte[] buffer = new byte[4096];

    public Map<String, List<String>> decode(byte[] block) throws InvalidHeaderBlock {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      inflater.setInput(block);
      try {
        while (true) {
          int n = inflater.inflate(buffer);
          if (n > 0) {
            raw.write(buffer, 0, n);
            if (raw.size() > MAX_BLOCK_BYTES) {
              throw new InvalidHeaderBlock("header block larger than " + MAX_BLOCK_BYTES + " bytes");
            }
          } else if (inflater.needsDictionary()) {
            inflater.setDictionary(DICTIONARY);
          } else {
            break;
          }
        }
      } catch (DataFormatException | IllegalArgumentException e) {
        throw new InvalidHeaderBlock("header block does not decompress: " + e.getMessage());
      }
      return parse(ByteBuffer.wrap(raw.toByteArray()));
    }

    private static Map<String, List<String>> parse(ByteBuffer in) throws InvalidHeaderBlock {
      int count = readLength(in);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = readString(in);
        if (headers.containsKey(name)) {
          throw new InvalidHeaderBlock("header " + name + " appears twice");
        }
        headers.put(name, List.copyOf(Arrays.asList(readString(in).split("\0", -1))));
      }
      return headers;
    }

    private static String readString(ByteBuffer in) throws InvalidHeaderBlock {
      int length = readLength(in);
      if (length > in.remaining()) {
        throw new InvalidHeaderBlock("header block ends inside a name or value");
      }
      byte[] bytes = new byte[length];
      in.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int readLength(ByteBuffer in) throws InvalidHeaderBlock {
      if (in.remaining() < 4) {
        throw new InvalidHeaderBlock("header block ends inside a length");
      }
      int length = in.getInt();
      if (length < 0 || length > MAX_BLOCK_BYTES) {
        throw new InvalidHeaderBlock("header block length " + Integer.toUnsignedString(length) + " out of range");
      }
      return length;
    }
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private static byte[] dictionary() {
    List<String> words = new ArrayList<>(List.of("options", "head", "post", "put", "delete", "trace", "accept",
        "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization",
        "cache-control", "connection", "content-base", "content-encoding", "content-language", "content-length",
        "content-location", "content-md5", "content-range", "content-type", "date", "etag", "expect", "expires",
        "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
        "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range",
        "referer", "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary",
        "via", "warning", "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url",
        "public", "set-cookie", "keep-alive", "origin"));
    String text = "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
        + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized"
        + "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
        + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
        + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
        + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String word : words) {
      writeInt(out, word.length());
      out.writeBytes(word.getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
