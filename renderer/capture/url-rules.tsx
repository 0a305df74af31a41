/**
 * Types by URL: the capture's URL rules (a glob over the URL or its path, for one direction or
 * both, first match wins) with how many entries each types, and a form that adds one, offered
 * for the selected entry ("every request matching /twirp/livekit.RoomService/*"). Rules are
 * kept by the session for as long as the capture is open.
 */
import { useEffect, useState } from 'react';
import type { CaptureRow, CaptureUrlRule, CaptureUrlRuleState } from '../../core/api/capture-contract';
import type { TypeInfo } from '../../core/api/contract';
import { api } from '../host/bridge';
import { ruleDirectionText, suggestedPattern } from './capture-format';

/** The rules of a capture and the form adding one; `onSet` replaces the rules. */
export function UrlRules({
  rules,
  row,
  onSet,
}: {
  rules: readonly CaptureUrlRuleState[];
  row: CaptureRow | null;
  onSet: (rules: CaptureUrlRule[]) => void;
}) {
  const plain = (r: CaptureUrlRuleState): CaptureUrlRule => ({
    url: r.url,
    typeName: r.typeName,
    ...(r.direction ? { direction: r.direction } : {}),
  });
  return (
    <div className="url-rules" data-testid="url-rules">
      {rules.length > 0 && (
        <ul className="url-rule-list" aria-label="Types by URL">
          {rules.map((r, i) => (
            <li key={`${i}:${r.url}:${r.direction ?? ''}`} className={r.missing ? 'missing' : ''} data-testid="url-rule">
              <code className="clip" title={r.url}>
                {r.url}
              </code>
              <span className="muted">{ruleDirectionText(r.direction)} →</span>
              <span className="clip mono">{r.typeName}</span>
              <span className="muted" data-testid="url-rule-matches">
                {r.matches} {r.matches === 1 ? 'entry' : 'entries'}
              </span>
              {r.missing && <span className="capture-note">type not loaded</span>}
              <button
                type="button"
                aria-label={`Remove the rule for ${r.url}`}
                title="Remove this rule (its entries go back to their automatic type)"
                onClick={() => onSet(rules.filter((_, j) => j !== i).map(plain))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {row && <AddRule key={`${row.index}`} row={row} onAdd={(r) => onSet([...rules.map(plain), r])} />}
    </div>
  );
}

/** The form adding a rule, filled in from the selected entry (its service or path, its direction and type). */
function AddRule({ row, onAdd }: { row: CaptureRow; onAdd: (rule: CaptureUrlRule) => void }) {
  const [url, setUrl] = useState(() => suggestedPattern(row));
  const [direction, setDirection] = useState<'request' | 'response' | ''>(row.direction);
  const [typeName, setTypeName] = useState(row.type ?? '');
  const [types, setTypes] = useState<TypeInfo[]>([]);

  useEffect(() => {
    let live = true;
    void api.listTypes({ query: typeName, limit: 50 }).then((t) => live && setTypes(t));
    return () => {
      live = false;
    };
  }, [typeName]);

  const ok = url.trim() !== '' && typeName.trim() !== '';
  const listId = `url-rule-types-${row.index}`;
  return (
    <form
      className="url-rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ok) onAdd({ url: url.trim(), typeName: typeName.trim(), ...(direction ? { direction } : {}) });
      }}
    >
      <span className="muted">Every</span>
      <select value={direction} onChange={(e) => setDirection(e.target.value as typeof direction)} aria-label="Direction of the rule">
        <option value="request">request</option>
        <option value="response">response</option>
        <option value="">entry</option>
      </select>
      <span className="muted">matching</span>
      <input
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        aria-label="URL pattern"
        title="A * matches any run of characters; the pattern matches the whole URL or its path"
        spellCheck={false}
        data-testid="url-rule-pattern"
      />
      <span className="muted">as</span>
      <input
        value={typeName}
        onChange={(e) => setTypeName(e.target.value)}
        list={listId}
        placeholder="message type"
        aria-label="Type for matching entries"
        spellCheck={false}
        data-testid="url-rule-type"
      />
      <datalist id={listId}>
        {types.map((t) => (
          <option key={t.name} value={t.name} />
        ))}
      </datalist>
      <button type="submit" disabled={!ok}>
        Apply to matching
      </button>
    </form>
  );
}
