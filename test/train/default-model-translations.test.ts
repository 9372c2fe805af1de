/**
 * The default model puts a sentence and its translation together: 24 translation pairs in 14 scripts (written for
 * this test, not taken from any evaluation set): each of the 48 sentences' nearest neighbour among all the others
 * is its translation for ≥ 70 % of them (v2.4: 37/48; v2.3 and v2.2: 35/48; v2.1: 33/48; v2: 34/48; v1: 20/48; the
 * issue's goal, 90 %, is not reached yet). And the README's first command: "I used to hate him." scores its Russian
 * translation at least 0.17 above both unrelated pairs (v2.4: 0.3947 vs 0.0792 and 0.2171, margin 0.178; v2.3:
 * 0.4116 vs 0.0872 and 0.2189, margin 0.193; v2.2: 0.3629 vs 0.1138 and 0.2200, margin 0.143; v2.1: 0.4185 vs
 * 0.1475 and 0.2534; v2: 0.4254 vs 0.0654 and 0.2427; v1: 0.3623 vs 0.2740 and 0.2983; the issue's goal is 0.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultModel } from '../../src/node.js';
import { runCli } from '../helpers/cli.js';

// [English, translation, script of the translation]
export const PAIRS: Array<[string, string, string]> = [
  [
    'The train to the airport leaves every twenty minutes.',
    'Der Zug zum Flughafen fährt alle zwanzig Minuten ab.',
    'Latin',
  ],
  ['My grandmother grows tomatoes in her garden.', 'Mi abuela cultiva tomates en su jardín.', 'Latin'],
  ['Please close the window, it is cold.', "Ferme la fenêtre, s'il te plaît, il fait froid.", 'Latin'],
  ['I forgot my umbrella at the office.', 'Я забыл зонтик в офисе.', 'Cyrillic'],
  ['The library opens at nine in the morning.', 'تفتح المكتبة في الساعة التاسعة صباحًا.', 'Arabic'],
  ['We are going to the beach tomorrow.', '我们明天去海滩。', 'Han'],
  ['This coffee is too hot to drink.', 'このコーヒーは熱すぎて飲めません。', 'Japanese'],
  ['My brother works at a hospital.', '제 형은 병원에서 일해요.', 'Hangul'],
  ['The children are playing football in the park.', 'बच्चे पार्क में फ़ुटबॉल खेल रहे हैं।', 'Devanagari'],
  ['The sea is very calm today.', 'Η θάλασσα είναι πολύ ήρεμη σήμερα.', 'Greek'],
  ['I bought fresh bread at the bakery.', 'קניתי לחם טרי במאפייה.', 'Hebrew'],
  ['How much does this shirt cost?', 'เสื้อตัวนี้ราคาเท่าไหร่', 'Thai'],
  ['The cat is sleeping on the sofa.', 'Kedi kanepede uyuyor.', 'Latin'],
  ['Where is the nearest pharmacy?', "Dov'è la farmacia più vicina?", 'Latin'],
  ['My phone battery is empty.', 'Bateria w moim telefonie jest rozładowana.', 'Latin'],
  ['It snowed all night in the mountains.', 'Усю ніч у горах падав сніг.', 'Cyrillic'],
  ['She is learning to play the violin.', 'Ela está aprendendo a tocar violino.', 'Latin'],
  ['The museum is closed on Mondays.', 'Het museum is op maandag gesloten.', 'Latin'],
  ['I drink tea with milk every morning.', 'من هر روز صبح چای با شیر می‌نوشم.', 'Arabic'],
  ['The bus was late again today.', 'Hôm nay xe buýt lại đến muộn.', 'Latin'],
  ['He reads the newspaper after dinner.', 'সে রাতের খাবারের পরে খবরের কাগজ পড়ে।', 'Bengali'],
  ['Our neighbours have a big black dog.', 'ჩვენს მეზობლებს ჰყავთ დიდი შავი ძაღლი.', 'Georgian'],
  ['The river flows through the old city.', 'Գետը հոսում է հին քաղաքի միջով։', 'Armenian'],
  ['I need a new pair of shoes.', 'எனக்கு ஒரு புதிய ஜோடி காலணிகள் தேவை.', 'Tamil'],
];

test("default model: each sentence's nearest neighbour among 48 is its translation for ≥ 70 % (24 pairs, 14 scripts)", async () => {
  assert.ok(new Set(PAIRS.map((p) => p[2])).size + 0 >= 13, "scripts of the translations (plus English's Latin)");
  const model = await loadDefaultModel();
  const texts = PAIRS.flatMap(([en, xx]) => [en, xx]);
  const e = model.encode(texts, { normalize: true });
  let hits = 0;
  const misses: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    let best = -1,
      bestSim = -Infinity;
    for (let j = 0; j < texts.length; j++) {
      if (j === i) continue;
      let s = 0;
      for (let k = 0; k < e.cols; k++) s += e.data[i * e.cols + k]! * e.data[j * e.cols + k]!;
      if (s > bestSim) {
        bestSim = s;
        best = j;
      }
    }
    if (best === (i ^ 1)) hits++;
    else misses.push(`${texts[i]} → ${texts[best]}`);
  }
  assert.ok(hits / texts.length >= 0.7, `${hits}/${texts.length}; misses: ${misses.join(' | ')}`);
  await model.close();
});

test('static-embed similarity: "I used to hate him." ↔ its Russian translation ≥ 0.17 above both unrelated pairs', async () => {
  const r = await runCli([
    'similarity',
    'I used to hate him.',
    'Раньше я ненавидел его.',
    'The weather is nice today.',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const m = (JSON.parse(r.stdout) as { similarity: number[][] }).similarity;
  const translation = m[0]![1]!,
    unrelated = Math.max(m[0]![2]!, m[1]![2]!);
  assert.ok(
    translation - unrelated >= 0.17,
    `translation ${translation.toFixed(4)}, unrelated ${m[0]![2]!.toFixed(4)} and ${m[1]![2]!.toFixed(4)}`,
  );
});
