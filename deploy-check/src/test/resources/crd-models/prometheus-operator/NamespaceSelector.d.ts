import { ModelData, Model } from "@kubernetes-models/base";
/**
 * NamespaceSelector is a selector for selecting either all namespaces or a
 * list of namespaces.
 * If `any` is true, it takes precedence over `matchNames`.
 * If `matchNames` is empty and `any` is false, it means that the objects are
 * selected from the current namespace.
 */
export interface INamespaceSelector {
    /**
     * any defines the boolean describing whether all namespaces are selected in contrast to a
     * list restricting them.
     */
    "any"?: boolean;
    /**
     * matchNames defines the list of namespace names to select from.
     */
    "matchNames"?: Array<string>;
}
/**
 * NamespaceSelector is a selector for selecting either all namespaces or a
 * list of namespaces.
 * If `any` is true, it takes precedence over `matchNames`.
 * If `matchNames` is empty and `any` is false, it means that the objects are
 * selected from the current namespace.
 */
export declare class NamespaceSelector extends Model<INamespaceSelector> implements INamespaceSelector {
    "any"?: boolean;
    "matchNames"?: Array<string>;
    constructor(data?: ModelData<INamespaceSelector>);
}
export type { INamespaceSelector as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NamespaceSelector, NamespaceSelector as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NamespaceSelector };
