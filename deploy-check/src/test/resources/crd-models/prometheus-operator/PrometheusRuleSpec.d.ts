import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RuleGroup } from "./RuleGroup.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * PrometheusRuleSpec contains specification parameters for a Rule.
 */
export interface IPrometheusRuleSpec {
    /**
     * groups defines the content of Prometheus rule file
     */
    "groups"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RuleGroup>;
}
/**
 * PrometheusRuleSpec contains specification parameters for a Rule.
 */
export declare class PrometheusRuleSpec extends Model<IPrometheusRuleSpec> implements IPrometheusRuleSpec {
    "groups"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RuleGroup>;
    constructor(data?: ModelData<IPrometheusRuleSpec>);
}
export type { IPrometheusRuleSpec as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PrometheusRuleSpec, PrometheusRuleSpec as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PrometheusRuleSpec };
