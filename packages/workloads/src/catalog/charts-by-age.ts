/**
 * Seed 002 (EMR → Polars): the music service's chart job — play logs joined with track metadata
 * and users, users bucketed by age, the most played tracks per age group ranked with a window.
 */
import type { Workload, WorkloadQuery } from './types.js';

// Ages as of 2024 (the plays are from September 2024). A play counts from 30 s on, as charts do.
const AGE_GROUP = `CASE WHEN 2024 - u.birth_year < 20 THEN '10s' WHEN 2024 - u.birth_year < 30 THEN '20s' WHEN 2024 - u.birth_year < 40 THEN '30s' WHEN 2024 - u.birth_year < 50 THEN '40s' WHEN 2024 - u.birth_year < 60 THEN '50s' ELSE '60+' END`;

const playsByAge = `SELECT ${AGE_GROUP} AS age_group, p.track_id, t.title, t.artist, COUNT(*) AS plays FROM plays p JOIN users u ON u.user_id = p.user_id JOIN tracks t ON t.track_id = p.track_id WHERE p.ms_played >= 30000 GROUP BY ${AGE_GROUP}, p.track_id, t.title, t.artist`;

const TOP_TRACKS: WorkloadQuery = {
  id: 'top10_tracks_by_age',
  description: 'plays ⨝ users ⨝ tracks, age buckets, top 10 per bucket by ROW_NUMBER (ties broken by track id)',
  sql: `SELECT age_group, rnk, track_id, title, artist, plays FROM (SELECT age_group, track_id, title, artist, plays, ROW_NUMBER() OVER (PARTITION BY age_group ORDER BY plays DESC, track_id) AS rnk FROM (${playsByAge}) c) r WHERE rnk <= 10 ORDER BY age_group, rnk`,
};

const PLAYS_PER_AGE: WorkloadQuery = {
  id: 'plays_per_age_group',
  description: 'plays ⨝ users, age buckets, listening totals (the join and bucketing without the ranking)',
  sql: `SELECT ${AGE_GROUP} AS age_group, COUNT(*) AS plays, SUM(p.ms_played) AS ms_played, COUNT(DISTINCT p.user_id) AS listeners FROM plays p JOIN users u ON u.user_id = p.user_id GROUP BY ${AGE_GROUP} ORDER BY age_group`,
};

const TOP_GENRES: WorkloadQuery = {
  id: 'genre_rank_by_age',
  description: 'plays ⨝ users ⨝ tracks, genres ranked per age bucket with RANK',
  sql: `SELECT age_group, genre, plays, RANK() OVER (PARTITION BY age_group ORDER BY plays DESC) AS rnk FROM (SELECT ${AGE_GROUP} AS age_group, t.genre, COUNT(*) AS plays FROM plays p JOIN users u ON u.user_id = p.user_id JOIN tracks t ON t.track_id = p.track_id GROUP BY ${AGE_GROUP}, t.genre) g ORDER BY age_group, rnk, genre`,
};

export const chartsByAge: Workload = {
  key: 'charts_by_age',
  name: 'Charts by age group (seed 002)',
  description: "Seed 002's chart aggregation: play logs joined with tracks and users, ages bucketed, the top tracks per age group ranked with window functions.",
  seeds: ['002'],
  dataset: 'music',
  queries: [TOP_TRACKS, PLAYS_PER_AGE, TOP_GENRES],
  phases: [
    { name: 'join + bucket', optimization: 'baseline: hash joins of plays with users, age buckets, aggregate', sql: PLAYS_PER_AGE.sql },
    { name: 'top-N per age group', optimization: 'aggregate first, then rank the small per-track result with ROW_NUMBER (not the raw plays)', sql: TOP_TRACKS.sql },
  ],
};
