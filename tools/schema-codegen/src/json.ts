/** JSON as read from an .avsc file. */
export type Json = null | boolean | number | string | readonly Json[] | JsonObject;
export type JsonObject = { readonly [key: string]: Json };

export const isJsonObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Array.isArray does not narrow readonly arrays out of a union, hence a guard of our own.
export const isJsonArray = (value: Json | undefined): value is readonly Json[] => Array.isArray(value);

export const stringOf = (value: Json | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;
