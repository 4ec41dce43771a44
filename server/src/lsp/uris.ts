// Document keys for the index. The server keys documents by URI; file URIs are put in one canonical spelling
// (Node's), because clients encode paths differently ("c%3A", "%28") and one file must have one key.

import { fileURLToPath, pathToFileURL } from 'node:url';

export function documentKey(uri: string): string {
  if (typeof uri !== 'string') return '';
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export function pathToKey(path: string): string {
  return pathToFileURL(path).href;
}

/** The file-system path of a file key; undefined for other schemes. */
export function keyToPath(key: string): string | undefined {
  if (!key.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(key);
  } catch {
    return undefined;
  }
}

/** Whether `key` lies inside the folder whose key is `folderKey`. */
export function isInside(folderKey: string, key: string): boolean {
  const base = folderKey.endsWith('/') ? folderKey : folderKey + '/';
  return key.startsWith(base);
}
