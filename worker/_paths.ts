// POSIX path helpers of the project's layout (absolute paths, no file system).

/** `path` from `base` (absolute paths are kept), normalized. */
export function join(base: string, path: string): string {
  if (path.startsWith("/")) return normalize(path);
  return normalize(`${base.replace(/\/+$/, "")}/${path}`);
}

/** A path without `.`, `..` and repeated slashes. */
export function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** The folder above, or null at the root. */
export function parentOf(dir: string): string | null {
  if (dir === "/" || dir === "") return null;
  const parent = dir.slice(0, dir.lastIndexOf("/")) || "/";
  return parent;
}
