/**
 * The categories an Azure content filter result marks as filtered, e.g. `["hate", "violence"]`.
 * Accepts Azure's `content_filter_result(s)` object (`{ hate: { filtered: true, severity }, … }`)
 * and the `prompt_filter_results` array (`[{ content_filter_results: {…} }]`). Returns undefined
 * when nothing is marked (OpenAI itself gives no categories).
 */
export const getContentFilterCategories = (results: unknown): string[] | undefined => {
  const categories = new Set<string>();
  collect(results, categories, 0);
  return categories.size > 0 ? [...categories] : undefined;
};

const collect = (value: unknown, into: Set<string>, depth: number): void => {
  if (depth > 3 || typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = (item as { content_filter_results?: unknown } | null)?.content_filter_results;
      collect(inner ?? item, into, depth + 1);
    }
    return;
  }
  for (const [category, result] of Object.entries(value)) {
    if (typeof result !== "object" || result === null) continue;
    const { filtered } = result as { filtered?: unknown };
    if (filtered === true) into.add(category);
    else if (filtered === undefined && category !== "error") collect(result, into, depth + 1);
  }
};
