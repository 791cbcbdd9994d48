import { IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggers } from "./WithTriggers.js";
import { IIoK8sApimachineryPkgApisMetaV1ListMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ListMeta";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * WithTriggersList is a list of ScaledObject resources
 */
export interface IWithTriggersList extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggers>;
    "kind": "WithTriggersList";
    "metadata": IIoK8sApimachineryPkgApisMetaV1ListMeta;
}
/**
 * WithTriggersList is a list of ScaledObject resources
 */
export declare class WithTriggersList extends Model<IWithTriggersList> implements IWithTriggersList {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggers>;
    "kind": "WithTriggersList";
    "metadata": IIoK8sApimachineryPkgApisMetaV1ListMeta;
    static apiVersion: IWithTriggersList["apiVersion"];
    static kind: IWithTriggersList["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IWithTriggersList>;
    constructor(data?: ModelData<IWithTriggersList>);
}
export type { IWithTriggersList as IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggersList, WithTriggersList as ComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggersList };
