import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationSpec } from "./TriggerAuthenticationSpec.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationStatus } from "./TriggerAuthenticationStatus.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * TriggerAuthentication defines how a trigger can authenticate
 */
export interface ITriggerAuthentication extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "kind": "TriggerAuthentication";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationSpec;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationStatus;
}
/**
 * TriggerAuthentication defines how a trigger can authenticate
 */
export declare class TriggerAuthentication extends Model<ITriggerAuthentication> implements ITriggerAuthentication {
    "apiVersion": "keda.sh/v1alpha1";
    "kind": "TriggerAuthentication";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationSpec;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationStatus;
    static apiVersion: ITriggerAuthentication["apiVersion"];
    static kind: ITriggerAuthentication["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<ITriggerAuthentication>;
    constructor(data?: ModelData<ITriggerAuthentication>);
}
export type { ITriggerAuthentication as IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthentication, TriggerAuthentication as ComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthentication };
