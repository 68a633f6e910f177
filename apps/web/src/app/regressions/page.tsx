import { Alerts } from './Alerts';
import { Schedules } from './Schedules';

export const metadata = { title: 'Schedules & regressions · Phaselab' };

export default function RegressionsPage() {
  return (
    <>
      <div className="page-head">
        <h1>Schedules &amp; regressions</h1>
      </div>
      <Alerts />
      <Schedules />
    </>
  );
}
