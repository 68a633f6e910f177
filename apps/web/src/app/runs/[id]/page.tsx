import { RunView } from './RunView';

export const metadata = { title: 'Run · Phaselab' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunView id={id} />;
}
