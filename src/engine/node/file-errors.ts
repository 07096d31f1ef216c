// File system errors in plain words: what a user reads instead of a raw errno
// code (EISDIR, ENAMETOOLONG, ...).

/** The reason an fs call failed, in a few words ("it is a directory"), or undefined if it is not a file system error. */
export function fileErrorText(err: unknown): string | undefined {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EEXIST':
      return 'it already exists';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return undefined;
  }
}
