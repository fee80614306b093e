import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router-dom";
import { changeFilters, readFilters, writeFilters, type GlobalFilters } from "./filters";

/** The global filters from the URL, and a setter that writes them back (a new history entry). */
export function useGlobalFilters(): [GlobalFilters, (change: Partial<GlobalFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const update = useCallback(
    (change: Partial<GlobalFilters>) => {
      setParams((current) => writeFilters(current, changeFilters(readFilters(current), change)));
    },
    [setParams],
  );
  return [filters, update];
}
