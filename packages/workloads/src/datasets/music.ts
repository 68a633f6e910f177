/**
 * Seed 002 (Spark → Polars "charts by age group" on a music-streaming play log): a play-log fact
 * table and track / user dimensions. Track popularity is Zipf-like; 45% of a user's plays follow
 * the ranking of their age group (a rotated global ranking), so per-age-group charts differ.
 */
import { BOOL, DATE, INT32, INT64, TIMESTAMP, UTF8 } from '../types-engine.js';
import { BatchDict, DAY_US, col, combos, epochDay, validityOrNull } from '../columns.js';
import { Weighted, Zipf, below, streamKey, unit } from '../rng.js';
import { fieldsOf, type DatasetDef, type TableDef } from '../types.js';

const GENRES = ['K-Pop', 'Ballad', 'Hip-Hop', 'R&B', 'Indie', 'Rock', 'Trot', 'OST', 'EDM', 'Pop', 'Jazz', 'Classical'];
const GENRE_PICK = new Weighted([26, 16, 12, 8, 8, 6, 5, 7, 4, 5, 2, 1]);
const WORDS_A = [
  'Midnight', 'Summer', 'Blue', 'Golden', 'Silent', 'Electric', 'Broken', 'Falling', 'Shining', 'Lonely',
  'Crazy', 'Sweet', 'Wild', 'Neon', 'Last', 'First', 'Endless', 'Secret', 'Little', 'Bright',
  'Cold', 'Burning', 'Hidden', 'Lost', 'Dancing', 'Starry', 'Rainy', 'Velvet', 'Paper', 'Crystal',
  'Seoul', 'Winter', 'Spring', 'Autumn', 'Rose', 'Silver', 'Violet', 'Ocean', 'Dream', 'Lucky',
];
const WORDS_B = [
  'Love', 'Night', 'Dream', 'Heart', 'Road', 'Light', 'Rain', 'Memory', 'Story', 'Letter',
  'Moon', 'Star', 'Wave', 'Flower', 'Train', 'City', 'Sky', 'Song', 'Day', 'Promise',
  'Fire', 'Echo', 'Shadow', 'Garden', 'Highway', 'Mirror', 'Signal', 'Tears', 'Smile', 'Window',
  'Island', 'Party', 'Runaway', 'Diary', 'Season', 'Bloom', 'Butterfly', 'Snow', 'Youth', 'Sunset',
];
const TITLES = combos(WORDS_A, WORDS_B);
const ARTIST_A = ['Black', 'Red', 'New', 'Twice', 'Stray', 'Blue', 'Golden', 'Crystal', 'Seventh', 'Neon', 'Lunar', 'Velvet', 'Cosmic', 'Silver', 'Urban', 'Sunny', 'Moon', 'Star', 'Echo', 'Nova', 'Royal', 'Shiny', 'Dream', 'Pure', 'Bold', 'Happy', 'Magic', 'Jade', 'Ivory', 'Lucky'];
const ARTIST_B = ['Pink', 'Jeans', 'Kids', 'Boys', 'Girls', 'Wave', 'Season', 'Heart', 'Monkey', 'Band', 'Crew', 'Project', 'Sisters', 'Brothers', 'Tiger', 'Planet', 'Garden', 'Station', 'Unit', 'Club', 'Riders', 'Ocean', 'Line', 'Avenue', 'Theory', 'Circle', 'Parade', 'Orchestra', 'Trio', 'Duo'];
const ARTISTS = combos(ARTIST_A, ARTIST_B);

const DEVICES = ['mobile', 'desktop', 'web', 'tablet', 'smart_speaker', 'tv'];
const DEVICE_PICK = new Weighted([62, 14, 8, 6, 6, 4]);
const COUNTRIES = ['KR', 'US', 'JP', 'TW', 'TH', 'ID', 'VN', 'PH'];
const COUNTRY_PICK = new Weighted([88, 3, 3, 1.5, 1.2, 1.2, 1, 1.1]);
const GENDERS = ['F', 'M', 'X'];
const GENDER_PICK = new Weighted([49, 47, 1]); // plus 3% NULL (not given)

/** Age bands (in 2024): [youngest, oldest, share of users]. */
const AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [13, 19, 20], [20, 29, 32], [30, 39, 22], [40, 49, 14], [50, 59, 8], [60, 79, 4],
];
const AGE_PICK = new Weighted(AGE_BANDS.map((b) => b[2]));
/** Listening by hour: commute and evening peaks. */
const HOUR_PICK = new Weighted([3, 2, 1.2, 0.7, 0.5, 0.6, 1.5, 4, 6.5, 5, 4, 4.2, 5, 4.6, 4.2, 4.4, 5, 6.2, 7, 6.5, 6.2, 6.4, 6, 4.8]);
const DAY_START = epochDay(2024, 9, 1);
const DAYS = 30;

export function musicSizes(rows: number): { users: number; tracks: number; artists: number } {
  const tracks = Math.max(200, Math.min(1_000_000, Math.ceil(rows / 200)));
  return {
    users: Math.max(100, Math.min(2_000_000, Math.ceil(rows / 100))),
    tracks,
    artists: Math.max(20, Math.ceil(tracks / 8)),
  };
}

const PLAYS: TableDef = {
  name: 'plays',
  description: 'Play log for 30 days (2024-09-01 … 09-30), roughly in time order.',
  rowsRule: 'rows',
  columns: [
    { name: 'play_id', type: INT64, nullable: false, description: '1 … rows' },
    { name: 'user_id', type: INT32, nullable: false, description: 'FK users (heavy users: low ids)' },
    { name: 'track_id', type: INT32, nullable: false, description: 'FK tracks, Zipf-like popularity (s = 1.05), age-group preferences' },
    { name: 'played_at', type: TIMESTAMP, nullable: false, description: 'start of the play' },
    { name: 'ms_played', type: INT32, nullable: false, description: 'full track 60%, partial 15%, skip (< 30 s) 25%' },
    { name: 'device', type: UTF8, nullable: false, description: 'mobile, desktop, web, tablet, smart_speaker, tv' },
    { name: 'skipped', type: BOOL, nullable: false, description: 'ms_played < 30000' },
  ],
};

const TRACKS: TableDef = {
  name: 'tracks',
  description: 'Track metadata.',
  rowsRule: 'clamp(ceil(rows / 200), 200, 1,000,000)',
  columns: [
    { name: 'track_id', type: INT32, nullable: false, description: '1 … n (1 = globally most played)' },
    { name: 'title', type: UTF8, nullable: false, description: "e.g. 'Midnight Letter' (not unique)" },
    { name: 'artist_id', type: INT32, nullable: false, description: 'artist key (n / 8 artists)' },
    { name: 'artist', type: UTF8, nullable: false, description: 'artist name, unique per artist_id' },
    { name: 'genre', type: UTF8, nullable: false, description: 'K-Pop, Ballad, Hip-Hop, … (12)' },
    { name: 'duration_ms', type: INT32, nullable: false, description: '90 s … 330 s' },
    { name: 'release_date', type: DATE, nullable: false, description: '1990 … 2024-08-31, recent more likely' },
  ],
};

const USERS: TableDef = {
  name: 'users',
  description: 'Listeners.',
  rowsRule: 'clamp(ceil(rows / 100), 100, 2,000,000)',
  columns: [
    { name: 'user_id', type: INT32, nullable: false, description: '1 … n' },
    { name: 'birth_year', type: INT32, nullable: false, description: 'ages 13-79 in 2024, bands 10s 20%, 20s 32%, 30s 22%, 40s 14%, 50s 8%, 60+ 4%' },
    { name: 'country', type: UTF8, nullable: false, description: 'KR 88%, US, JP, TW, TH, ID, VN, PH' },
    { name: 'gender', type: UTF8, nullable: true, description: "'F', 'M', 'X', NULL (3%, not given)" },
    { name: 'signup_date', type: DATE, nullable: false, description: '2015-01-01 … 2024-08-31' },
  ],
};

export const music: DatasetDef = {
  name: 'music',
  description: 'Music-streaming play log with track and user dimensions for charts by age group (seed 002).',
  seeds: ['002'],
  factTable: 'plays',
  tables: [PLAYS, TRACKS, USERS],
  dirt: [],
  plan({ seed, rows }) {
    const sizes = musicSizes(rows);
    const k = (name: string) => streamKey(seed, `music.${name}`);
    const nUsers = sizes.users;
    const nTracks = sizes.tracks;
    const kAgeBand = k('user.age_band');
    const kAge = k('user.age');
    const ageBandOf = (userIndex: number) => AGE_PICK.pick(unit(kAgeBand, userIndex));
    const kDuration = k('track.duration');
    const durationOf = (trackIndex: number) => 90_000 + below(kDuration, trackIndex, 240_000);
    /** Each age band's chart is the global ranking rotated by its offset. */
    const bandOffset = AGE_BANDS.map((_, g) => (g === 1 ? 0 : Math.floor((nTracks * (0.013 + 0.029 * g)) % nTracks)));
    const zipf = new Zipf(nTracks, 1.05);

    const kUser = k('play.user');
    const kRank = k('play.rank');
    const kPref = k('play.pref');
    const kHour = k('play.hour');
    const kSecond = k('play.second');
    const kMode = k('play.mode');
    const kPart = k('play.part');
    const kDevice = k('play.device');
    const daysPerRow = DAYS / rows;
    const plays = {
      name: PLAYS.name,
      rows,
      fields: fieldsOf(PLAYS),
      generate(start: number, n: number) {
        const id = new Float64Array(n);
        const user = new Int32Array(n);
        const track = new Int32Array(n);
        const at = new Float64Array(n);
        const ms = new Int32Array(n);
        const device = new Int32Array(n);
        const skipped = new Uint8Array(n);
        for (let j = 0; j < n; j++) {
          const r = start + j;
          id[j] = r + 1;
          const u = Math.floor(nUsers * Math.pow(unit(kUser, r), 1.5));
          user[j] = u + 1;
          let t = zipf.rank(unit(kRank, r)) - 1;
          if (unit(kPref, r) < 0.45) t = (t + bandOffset[ageBandOf(u)]) % nTracks;
          track[j] = t + 1;
          const day = Math.min(DAYS - 1, Math.floor(r * daysPerRow));
          at[j] = (DAY_START + day) * DAY_US + (HOUR_PICK.pick(unit(kHour, r)) * 3600 + below(kSecond, r, 3600)) * 1_000_000;
          const dur = durationOf(t);
          const mode = unit(kMode, r);
          const p = unit(kPart, r);
          const played = mode < 0.25 ? 1000 + Math.floor(p * 29_000) : mode < 0.4 ? 30_000 + Math.floor(p * Math.max(0, dur - 30_000)) : dur;
          ms[j] = played;
          skipped[j] = played < 30_000 ? 1 : 0;
          device[j] = DEVICE_PICK.pick(unit(kDevice, r));
        }
        return {
          columns: [
            col(INT64, id),
            col(INT32, user),
            col(INT32, track),
            col(TIMESTAMP, at),
            col(INT32, ms),
            col(UTF8, device, null, DEVICES),
            col(BOOL, skipped),
          ],
        };
      },
    };

    const kTitle = k('track.title');
    const kArtist = k('track.artist');
    const kGenre = k('track.genre');
    const kRelease = k('track.release');
    const releaseStart = epochDay(1990, 1, 1);
    const releaseSpan = epochDay(2024, 8, 31) - releaseStart + 1;
    const tracks = {
      name: TRACKS.name,
      rows: nTracks,
      fields: fieldsOf(TRACKS),
      generate(start: number, n: number) {
        const id = new Int32Array(n);
        const title = new Int32Array(n);
        const artistId = new Int32Array(n);
        const artist = new Int32Array(n);
        const genre = new Int32Array(n);
        const duration = new Int32Array(n);
        const release = new Int32Array(n);
        const names = new BatchDict();
        for (let j = 0; j < n; j++) {
          const t = start + j;
          id[j] = t + 1;
          title[j] = below(kTitle, t, TITLES.length);
          const a = below(kArtist, t, sizes.artists);
          artistId[j] = a + 1;
          const round = Math.floor(a / ARTISTS.length);
          artist[j] = names.code(round === 0 ? ARTISTS[a] : `${ARTISTS[a % ARTISTS.length]} ${round + 1}`);
          genre[j] = GENRE_PICK.pick(unit(kGenre, t));
          duration[j] = durationOf(t);
          release[j] = releaseStart + Math.min(releaseSpan - 1, Math.floor(releaseSpan * Math.pow(unit(kRelease, t), 0.35)));
        }
        return {
          columns: [
            col(INT32, id),
            col(UTF8, title, null, TITLES),
            col(INT32, artistId),
            col(UTF8, artist, null, names.dict),
            col(UTF8, genre, null, GENRES),
            col(INT32, duration),
            col(DATE, release),
          ],
        };
      },
    };

    const kCountry = k('user.country');
    const kGender = k('user.gender');
    const kSignup = k('user.signup');
    const signupStart = epochDay(2015, 1, 1);
    const signupSpan = epochDay(2024, 8, 31) - signupStart + 1;
    const users = {
      name: USERS.name,
      rows: nUsers,
      fields: fieldsOf(USERS),
      generate(start: number, n: number) {
        const id = new Int32Array(n);
        const birth = new Int32Array(n);
        const country = new Int32Array(n);
        const gender = new Int32Array(n);
        const vGender = new Uint8Array(n).fill(1);
        let nulls = 0;
        const signup = new Int32Array(n);
        for (let j = 0; j < n; j++) {
          const r = start + j;
          id[j] = r + 1;
          const band = AGE_BANDS[ageBandOf(r)];
          birth[j] = 2024 - (band[0] + below(kAge, r, band[1] - band[0] + 1));
          country[j] = COUNTRY_PICK.pick(unit(kCountry, r));
          const ug = unit(kGender, r);
          if (ug < 0.03) {
            vGender[j] = 0;
            nulls++;
          } else gender[j] = GENDER_PICK.pick((ug - 0.03) / 0.97);
          signup[j] = signupStart + below(kSignup, r, signupSpan);
        }
        return {
          columns: [
            col(INT32, id),
            col(INT32, birth),
            col(UTF8, country, null, COUNTRIES),
            col(UTF8, gender, validityOrNull(vGender, nulls), GENDERS),
            col(DATE, signup),
          ],
        };
      },
    };

    return { tables: [plays, tracks, users] };
  },
};
