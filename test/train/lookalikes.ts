/** Our own look-alike triples for the default model's test: an English sentence, its translation, a look-alike. */
import { loadDefaultModel, type StaticModel } from '../../src/node.js';

// [English, translation, English look-alike, script of the translation, language]
export const TRIPLES: Array<[string, string, string, string, string]> = [
  ['I miss my old friends.', 'Ich vermisse meine alten Freunde.', 'I sold my old books.', 'Latin', 'de'],
  [
    'The kitchen smells of fresh bread.',
    'La cocina huele a pan recién hecho.',
    'The kitchen is full of dirty dishes.',
    'Latin',
    'es',
  ],
  [
    'My son broke his arm at school.',
    "Mon fils s'est cassé le bras à l'école.",
    'My son forgot his bag at school.',
    'Latin',
    'fr',
  ],
  [
    'We watched the sunset from the roof.',
    'Мы смотрели на закат с крыши.',
    'We fixed the antenna on the roof.',
    'Cyrillic',
    'ru',
  ],
  [
    'The children are afraid of the dark.',
    'الأطفال يخافون من الظلام.',
    'The children are tired of the rain.',
    'Arabic',
    'ar',
  ],
  ['My wife teaches mathematics.', '我妻子教数学。', 'My wife dislikes mathematics.', 'Han', 'zh'],
  ['I left my glasses on the train.', '電車に眼鏡を忘れました。', 'I met my teacher on the train.', 'Japanese', 'ja'],
  ['The soup is too salty.', '국이 너무 짜요.', 'The room is too small.', 'Hangul', 'ko'],
  ['My father planted a mango tree.', 'मेरे पिता ने आम का पेड़ लगाया।', 'My father bought a new car.', 'Devanagari', 'hi'],
  ['I love my family.', 'אני אוהבת את המשפחה שלי.', 'I love my new phone.', 'Hebrew', 'he'],
  ['The cat is sleeping under the bed.', 'แมวกำลังนอนอยู่ใต้เตียง', 'The cat is eating from the bowl.', 'Thai', 'th'],
  ['I forgot my umbrella at home.', 'Şemsiyemi evde unuttum.', 'I forgot my password at work.', 'Latin', 'tr'],
  [
    'The old fisherman sold his boat.',
    'Ο γέρος ψαράς πούλησε τη βάρκα του.',
    'The old teacher sold his piano.',
    'Greek',
    'el',
  ],
  [
    'My grandmother bakes bread on Sundays.',
    'ბებიაჩემი კვირაობით პურს აცხობს.',
    'My grandmother goes to church on Sundays.',
    'Georgian',
    'ka',
  ],
  ['The river is frozen in winter.', 'Գետը ձմռանը սառած է։', 'The road is busy in summer.', 'Armenian', 'hy'],
  [
    'The farmers are waiting for rain.',
    'কৃষকেরা বৃষ্টির জন্য অপেক্ষা করছে।',
    'The passengers are waiting for the bus.',
    'Bengali',
    'bn',
  ],
  [
    'I drink green tea without sugar.',
    'من چای سبز بدون شکر می‌نوشم.',
    'I eat white rice without salt.',
    'Arabic',
    'fa',
  ],
  [
    'Our dog is chasing the ball.',
    'Наш пес ганяється за м’ячем.',
    'Our boss is checking the reports.',
    'Cyrillic',
    'uk',
  ],
  [
    'She paints pictures of the sea.',
    'Lei dipinge quadri del mare.',
    'She writes letters to the mayor.',
    'Latin',
    'it',
  ],
  [
    'The hospital needs more nurses.',
    'O hospital precisa de mais enfermeiros.',
    'The library needs more shelves.',
    'Latin',
    'pt',
  ],
  [
    'My neighbour grows strawberries.',
    'Mój sąsiad uprawia truskawki.',
    'My neighbour repairs bicycles.',
    'Latin',
    'pl',
  ],
  [
    'The market opens early in the morning.',
    'Chợ mở cửa từ sáng sớm.',
    'The bank closes early on Friday.',
    'Latin',
    'vi',
  ],
  ['I am learning to swim.', 'Ik leer zwemmen.', 'I am trying to sleep.', 'Latin', 'nl'],
  [
    'The bridge was built a hundred years ago.',
    'Köprü yüz yıl önce inşa edildi.',
    'The letter was written a week ago.',
    'Latin',
    'tr',
  ],
  ['My brother lost his job.', 'Mi hermano perdió su trabajo.', 'My brother loves his job.', 'Latin', 'es'],
  ['The milk is in the fridge.', 'Молоко в холодильнике.', 'The money is in the drawer.', 'Cyrillic', 'ru'],
  ['Do you want some coffee?', 'هل تريد بعض القهوة؟', 'Do you want some help?', 'Arabic', 'ar'],
  ['The snow covered the whole village.', '雪覆盖了整个村庄。', 'The noise woke the whole house.', 'Han', 'zh'],
  [
    'He plays the guitar very well.',
    '彼はギターがとても上手です。',
    'He speaks the language very well.',
    'Japanese',
    'ja',
  ],
  [
    'We are going to the mountains next week.',
    'אנחנו נוסעים להרים בשבוע הבא.',
    'We are going to the dentist next week.',
    'Hebrew',
    'he',
  ],
  ['The rice is cooked.', 'ข้าวสุกแล้ว', 'The door is locked.', 'Thai', 'th'],
  ['My sister is a doctor.', 'Meine Schwester ist Ärztin.', 'My sister is a runner.', 'Latin', 'de'],
  [
    'The bakery sells cakes and cookies.',
    'La boulangerie vend des gâteaux et des biscuits.',
    'The garage sells tyres and batteries.',
    'Latin',
    'fr',
  ],
  ['I have a headache.', 'मेरे सिर में दर्द है।', 'I have a question.', 'Devanagari', 'hi'],
  ['The birds sing in the morning.', 'Τα πουλιά τραγουδούν το πρωί.', 'The shops open in the morning.', 'Greek', 'el'],
  ['Where is the train station?', '기차역이 어디예요?', 'Where is the light switch?', 'Hangul', 'ko'],
];

/** The share of English sentences whose translation outranks every other English sentence (originals and look-alikes). */
/** The share of TRIPLES whose translation outranks every English sentence (the default model, or `given`). */
export async function lookalikeScore(given?: StaticModel): Promise<{ hits: number; misses: string[] }> {
  const model = given ?? (await loadDefaultModel());
  try {
    const n = TRIPLES.length;
    const e = model.encode(
      TRIPLES.flatMap(([en, xx, look]) => [en, xx, look]),
      { normalize: true },
    );
    const cos = (i: number, j: number) => {
      let s = 0;
      for (let k = 0; k < e.cols; k++) s += e.data[i * e.cols + k]! * e.data[j * e.cols + k]!;
      return s;
    };
    const misses: string[] = [];
    for (let i = 0; i < n; i++) {
      const own = cos(3 * i, 3 * i + 1);
      let worst = -Infinity,
        by = '';
      for (let j = 0; j < n; j++)
        for (const k of [3 * j, 3 * j + 2])
          if (k !== 3 * i && cos(3 * i, k) >= worst) [worst, by] = [cos(3 * i, k), TRIPLES[j]![k === 3 * j ? 0 : 2]];
      if (own <= worst) misses.push(`${TRIPLES[i]![0]} → ${by} (${worst.toFixed(3)} ≥ ${own.toFixed(3)})`);
    }
    return { hits: n - misses.length, misses };
  } finally {
    if (!given) await model.close();
  }
}
