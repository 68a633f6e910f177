import { generatorChoices } from '@/lib/generators';
import { Datasets } from './Datasets';

export const metadata = { title: 'Datasets · Phaselab' };

export default async function DatasetsPage() {
  return <Datasets choices={await generatorChoices()} />;
}
