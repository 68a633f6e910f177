import { Compare } from './Compare';

export const metadata = { title: 'Compare · Phaselab' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ids } = await searchParams;
  // ?ids=a,b and ?ids=a&ids=b both work; anything that is not a run id is dropped.
  const list = (Array.isArray(ids) ? ids : [ids ?? ''])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => UUID.test(s))
    .slice(0, 10);
  return <Compare ids={list} />;
}
