import { BackendProbe } from './BackendProbe';

export const metadata = { title: 'PostgreSQL & PG-Strom · Phaselab' };

export default function GpuPage() {
  return <BackendProbe />;
}
