// file-type ships as an ES module with "exports" only, which the project's node10
// resolution does not read; its own declarations are reached by path instead.
declare module 'file-type' {
  export { fileTypeFromBuffer } from 'file-type/source/index';
}
