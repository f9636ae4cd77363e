package io.promptunit.optimize;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code <tag>...</tag>} blocks out of an optimizer model's answer. */
@API(status = INTERNAL, since = "0.1")
public final class Tagged {

  private Tagged() {}

  /** Every {@code <tag>} block's content, stripped, in order; blocks left open at the end are ignored. */
  public static List<String> all(String text, String tag) {
    Matcher matcher = Pattern.compile("<" + tag + ">\\s*(.*?)\\s*</" + tag + ">",
        Pattern.DOTALL | Pattern.CASE_INSENSITIVE).matcher(text);
    List<String> blocks = new ArrayList<>();
    while (matcher.find()) {
      String block = matcher.group(1).strip();
      if (!block.isEmpty()) {
        blocks.add(block);
      }
    }
    return blocks;
  }

  public static String snippet(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
  }
}
