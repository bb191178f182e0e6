// Types of scripts/build.mjs (plain JavaScript so that npm start's check needs no TypeScript loader).
export function sourceHash(root?: string): string;
export function writeStamp(hash: string, root?: string): void;
export function staleReason(root?: string, hash?: string): string | null;
