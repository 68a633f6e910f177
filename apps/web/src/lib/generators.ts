/**
 * What the API's dataset.generate accepts, read from its OpenAPI document (the API's published
 * contract) on the server: generator names and the row limit. null when this API has no dataset
 * generation, and the page then leaves the form out.
 */
import { apiUrl } from './session';

export interface GeneratorChoices {
  generators: string[];
  formats: string[];
  maxRows: number;
}

type Schema = { enum?: string[]; maximum?: number; properties?: Record<string, Schema> };

export async function generatorChoices(): Promise<GeneratorChoices | null> {
  try {
    const res = await fetch(`${apiUrl()}/api/v1/openapi.json`, { cache: 'no-store', signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return null;
    const doc = (await res.json()) as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>> };
    const props = doc.paths?.['/datasets']?.post?.requestBody?.content?.['application/json']?.schema?.properties;
    const generators = props?.generator?.enum;
    if (!generators?.length) return null;
    return { generators, formats: props?.format?.enum ?? ['parquet'], maxRows: props?.rows?.maximum ?? 1_000_000_000 };
  } catch {
    return null;
  }
}
