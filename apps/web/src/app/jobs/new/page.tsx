import { NewJob } from './NewJob';

export const metadata = { title: 'New job · Phaselab' };

export default async function NewJobPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { dataset } = await searchParams;
  return <NewJob initialDataset={typeof dataset === 'string' ? dataset : null} />;
}
