package dev.bertgen.presets.formats;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.links.ExternalLink;
import io.jhdf.links.SoftLink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Finds objects of an HDF5 file by path, following soft links itself instead of letting jhdf do it.
 *
 * <p>jhdf 0.9.4 resolves links while it walks a path ({@code getByPath}): a soft link that reaches
 * itself recurses until the stack overflows, a relative soft link is taken from the root instead of
 * the link's group, and an external link opens whatever file it names, a named pipe that blocks for
 * ever or a file outside the preset. Here each path component is looked up with {@code getChild},
 * which returns links unresolved, and:
 *
 * <ul>
 *   <li>a soft link is followed as the HDF5 library follows it (an absolute target from the root, a
 *       relative one from the group holding the link), at most {@value #MAX_SOFT_LINKS} of them per
 *       lookup as in the HDF5 library, and one that is reached again while it is being resolved is a
 *       loop;
 *   <li>an external link (to another file) or a link of another kind is refused, never opened: a
 *       preset's weights are in its own files.
 * </ul>
 */
public final class Hdf5Paths {
  /** The most soft links one lookup follows, the HDF5 library's default ({@code H5L_NUM_LINKS}). */
  static final int MAX_SOFT_LINKS = 16;

  private Hdf5Paths() {}

  /** A link that cannot be followed; the message says why, without the file, which the caller names. */
  static final class LinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LinkException(String message) {
      super(message);
    }
  }

  /**
   * The object at {@code path} (relative to the root; a leading {@code /} is allowed).
   *
   * @return the group or dataset, or {@code null} when nothing is at that path
   * @throws LinkException for an external link, a soft link that loops, leads nowhere or is one of
   *     more than {@value #MAX_SOFT_LINKS} on the way
   * @throws RuntimeException from jhdf when the file's structure cannot be read
   */
  static Node find(HdfFile file, String path) {
    return walk(file, file, path, new Lookup());
  }

  /** The soft links being resolved (innermost last) and how many were followed. */
  private static final class Lookup {
    final Deque<String> resolving = new ArrayDeque<>();
    int followed;
  }

  private static Node walk(HdfFile file, Group from, String path, Lookup lookup) {
    Node node = path.startsWith("/") ? file : from;
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (!(node instanceof Group group)) {
        return null; // the path goes on below a dataset
      }
      Node child = group.getChild(part);
      if (child == null) {
        return null;
      }
      node = child instanceof Link link ? follow(file, group, link, lookup) : child;
    }
    return node;
  }

  private static Node follow(HdfFile file, Group parent, Link link, Lookup lookup) {
    String linkPath = pathOf(parent, link.getName());
    if (link instanceof ExternalLink external) {
      throw new LinkException("HDF5 object " + linkPath + " is an external link to " + external.getTargetPath()
          + " (another file); BertGen reads a preset's weights only from its own files and never opens "
          + "an external link. Re-save the weights without links (keras-hub's save_to_preset writes none)");
    }
    if (!(link instanceof SoftLink soft)) {
      throw new LinkException("HDF5 object " + linkPath + " is a link of a kind BertGen does not follow ("
          + link.getClass().getSimpleName() + "); re-save the weights without links");
    }
    if (lookup.resolving.contains(linkPath)) {
      List<String> chain = new ArrayList<>(lookup.resolving);
      chain.add(linkPath);
      throw new LinkException("the HDF5 soft link " + linkPath + " loops: " + String.join(" -> ", chain)
          + "; the file is damaged or was made to hang readers: copy or download the preset again");
    }
    if (++lookup.followed > MAX_SOFT_LINKS) {
      throw new LinkException("reaching it follows more than " + MAX_SOFT_LINKS + " HDF5 soft links ("
          + String.join(" -> ", lookup.resolving) + " -> " + linkPath + "); the file is damaged: copy or "
          + "download the preset again");
    }
    String target = soft.getTargetPath();
    lookup.resolving.addLast(linkPath);
    Node found = walk(file, parent, target, lookup);
    lookup.resolving.removeLast();
    if (found == null) {
      throw new LinkException("HDF5 object " + linkPath + " is a soft link to " + target + ", which is not in "
          + "the file; the file is damaged: copy or download the preset again");
    }
    return found;
  }

  /** The absolute path of child {@code name} of {@code group}. */
  private static String pathOf(Group group, String name) {
    String p = group.getPath();
    return (p.endsWith("/") ? p : p + "/") + name;
  }
}
