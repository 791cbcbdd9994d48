import { IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthentication } from "./TriggerAuthentication.js";
import { IIoK8sApimachineryPkgApisMetaV1ListMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ListMeta";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * TriggerAuthenticationList contains a list of TriggerAuthentication
 */
export interface ITriggerAuthenticationList extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthentication>;
    "kind": "TriggerAuthenticationList";
    "metadata": IIoK8sApimachineryPkgApisMetaV1ListMeta;
}
/**
 * TriggerAuthenticationList contains a list of TriggerAuthentication
 */
export declare class TriggerAuthenticationList extends Model<ITriggerAuthenticationList> implements ITriggerAuthenticationList {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthentication>;
    "kind": "TriggerAuthenticationList";
    "metadata": IIoK8sApimachineryPkgApisMetaV1ListMeta;
    static apiVersion: ITriggerAuthenticationList["apiVersion"];
    static kind: ITriggerAuthenticationList["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<ITriggerAuthenticationList>;
    constructor(data?: ModelData<ITriggerAuthenticationList>);
}
export type { ITriggerAuthenticationList as IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationList, TriggerAuthenticationList as ComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationList };
