-- The chat credit hold in one autocommit statement (src/features/chat/credit-ledger.ts, ADR 0005):
-- lock the account, check it is on this period and plan, drop expired holds, insert the hold if
-- the live ones leave a credit free. Each statement of a (volatile) PL/pgSQL function takes a
-- fresh snapshot under READ COMMITTED, so the count after the lock sees every hold committed
-- while this call waited for it. 'stale': the account is missing or out of date (the ledger's
-- slow path writes the grant or plan change first); 'unlimited': nothing to hold; 'none': no
-- credit free; 'held'.
CREATE OR REPLACE FUNCTION credit_hold(p_user_id text, p_hold_id text, p_period text, p_at timestamptz, p_expires_at timestamptz, p_unlimited text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  acc record;
BEGIN
  SELECT a.period, a.plan, a.balance, u.plan AS user_plan INTO acc
    FROM credit_account a JOIN "user" u ON u.id = a.user_id
    WHERE a.user_id = p_user_id
    FOR UPDATE OF a;
  IF NOT FOUND OR acc.period <> p_period OR acc.plan <> acc.user_plan THEN
    RETURN 'stale';
  END IF;
  IF acc.plan = ANY (string_to_array(p_unlimited, ',')) THEN
    RETURN 'unlimited';
  END IF;
  DELETE FROM credit_reservation WHERE user_id = p_user_id AND expires_at <= p_at;
  IF (SELECT count(*) FROM credit_reservation WHERE user_id = p_user_id AND expires_at > p_at) >= acc.balance THEN
    RETURN 'none';
  END IF;
  INSERT INTO credit_reservation (id, user_id, created_at, expires_at) VALUES (p_hold_id, p_user_id, p_at, p_expires_at);
  RETURN 'held';
END;
$$;
