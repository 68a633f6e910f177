import { JobView } from './JobView';

export const metadata = { title: 'Job · Phaselab' };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <JobView id={id} />;
}
